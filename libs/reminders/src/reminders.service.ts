import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { CycleReads } from '@app/cycles/cycle-reads.service';
import { EntryReads } from '@app/entries/reads/entry-reads.service';
import { UserDirectory } from '@app/org/directory/user-directory.service';
import { csvLine, DomainError, neutraliseFormula, sqlWords, UTF8_BOM } from '@app/common';
import { MAIL_FINISHED, MAIL_IN_FLIGHT, MAIL_KIND_LABELS, MAIL_KINDS_OF_ENTRY, MAIL_STATUS_LABELS, slotKey, tokyoToday } from '@app/domain';
import type { MailLogKind } from '@app/domain';
import { japaneseDate } from './reminder-plan';
import type { Actor } from '@app/domain';
import { mailColumns } from './entities/reminder-rows';
import type { ReminderMailRow } from './entities/reminder-rows';
import { ReminderContentService } from './reminder-content.service';

/**
 * The mails of cycle $1: its digests (a slot of the cycle in their hour), its entries' returns and
 * notices (the entry ids in `entryIds`, a parameter: the entries' owner lists them), its own notices.
 */
const cycleMails = (entryIds: string) => `(m.kind = 'digest' AND EXISTS (
                 SELECT 1 FROM reminder_slots s
                  WHERE s.cycle_id = $1 AND to_char(s.send_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD"T"HH24') = left(m.slot_key, 13)))
           OR (m.kind IN (${sqlWords(MAIL_KINDS_OF_ENTRY)}) AND m.entry_id = ANY(${entryIds}::int[]))
           OR (m.kind = 'notice' AND m.payload ->> 'cycleId' = $1::text)`;

export interface ReminderLogFilter {
  recipientUserId?: number;
  kind?: MailLogKind;
}

/** '令和8年12月1日(火) 09:05' in Tokyo time. */
function eraDateTime(at: Date): string {
  return `${japaneseDate(tokyoToday(new Date(at)))} ${tokyoIso(at).slice(11, 16)}`;
}

/** '2026-12-01T09:05:12+09:00'. */
function tokyoIso(at: Date): string {
  return `${new Date(new Date(at).getTime() + 9 * 3600_000).toISOString().slice(0, 19)}+09:00`;
}

/** Text in the database's order (C collation: by code point). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const RESENDABLE: readonly string[] = MAIL_FINISHED;
const UPCOMING_SEND_TIMES = 10;

/** The reminder outbox as the API shows it: my next mails, a cycle's mails, resend. */
@Injectable()
export class RemindersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly content: ReminderContentService,
    private readonly audit: AuditService,
    private readonly cycles: CycleReads,
    private readonly entries: EntryReads,
    private readonly users: UserDirectory,
  ) {}

  /** My next send times and what each mail would list if it went out now; my recent mails. */
  async mine(actor: Actor) {
    const em = this.dataSource.manager;
    const planned: { cycleId: number }[] = await em.query(`SELECT DISTINCT cycle_id AS "cycleId" FROM reminder_slots WHERE send_at > now()`);
    const open = await this.cycles.openAmong(
      planned.map((p) => p.cycleId),
      em,
    );
    const hours: { hour: Date }[] = await em.query(
      `SELECT DISTINCT date_trunc('hour', s.send_at) AS hour
         FROM reminder_slots s
        WHERE s.send_at > now() AND s.cycle_id = ANY($2::int[]) ORDER BY 1 LIMIT $1`,
      [UPCOMING_SEND_TIMES, [...open]],
    );
    const upcoming = [];
    for (const { hour } of hours) {
      const digest = await this.content.digest(em, actor.id, hour);
      if (digest) upcoming.push({ sendAt: hour, slotKey: slotKey(hour), ...digest });
    }
    const recent: ReminderMailRow[] = await em.query(
      `SELECT ${mailColumns()} FROM reminder_mails WHERE recipient_user_id = $1 ORDER BY send_at DESC, id DESC LIMIT 20`,
      [actor.id],
    );
    return { upcoming, recent };
  }

  /**
   * Every mail that concerns a cycle (or those to one recipient, of one kind), counted per
   * status, with failures and their errors; `recipients`: everyone the cycle's log names, for the filter.
   */
  async forCycle(cycleId: number, filter: ReminderLogFilter = {}) {
    const em = this.dataSource.manager;
    await this.cycleOf(cycleId);
    const slots = await em.query(
      `SELECT id, audience, kind, to_char(deadline, 'YYYY-MM-DD') AS deadline,
              business_days_from_deadline AS "businessDaysFromDeadline", send_at AS "sendAt", status, fanned_out_at AS "fannedOutAt"
         FROM reminder_slots WHERE cycle_id = $1 ORDER BY send_at, audience`,
      [cycleId],
    );
    const mails = await this.mailsOf(cycleId, filter);
    const named: { id: number }[] = await em.query(`SELECT DISTINCT m.recipient_user_id AS id FROM reminder_mails m WHERE ${cycleMails('$2')}`, [
      cycleId,
      await this.entryIdsOf(cycleId),
    ]);
    const users = await this.users.rows(
      named.map((n) => n.id),
      em,
    );
    const recipients = [...users.values()].sort((a, b) => compareText(a.name, b.name) || compareText(a.login, b.login));
    const counts: Record<string, number> = { pending: 0, enqueued: 0, sending: 0, sent: 0, failed: 0, cancelled: 0, bundled: 0 };
    for (const m of mails) counts[m.status] += 1;
    const failures = mails
      .filter((m) => m.status === 'failed')
      .map((m) => ({
        id: m.id,
        recipientUserId: m.recipientUserId,
        recipientName: m.recipientName,
        kind: m.kind,
        slotKey: m.slotKey,
        attempts: m.attempts,
        lastError: m.lastError,
      }));
    return { cycleId, filter, recipients: recipients.map((r) => ({ id: r.id, name: r.name })), counts, failures, slots, mails };
  }

  /** The send log as CSV (UTF-8 with BOM, CRLF): what went to whom and when, with the same filter as the view. */
  async logCsv(cycleId: number, filter: ReminderLogFilter = {}): Promise<{ filename: string; fallback: string; body: string }> {
    const cycle = await this.cycleOf(cycleId);
    const mails = await this.mailsOf(cycleId, filter);
    const text = (v: string | null | undefined) => neutraliseFormula(v ?? '');
    const lines = [
      csvLine(['ID', '送信日時', '送信日時(ISO 8601)', '送信予定日時', '宛先', 'ログインID', '種類', '件名', '状態', '試行回数', 'エラー', '再送元ID']),
      ...mails.map((m) =>
        csvLine([
          m.id,
          m.sentAt ? eraDateTime(m.sentAt) : '',
          m.sentAt ? tokyoIso(m.sentAt) : '',
          eraDateTime(m.sendAt),
          text(m.recipientName),
          text(m.recipientLogin),
          MAIL_KIND_LABELS[m.kind] ?? m.kind,
          text(m.subject),
          MAIL_STATUS_LABELS[m.status] ?? m.status,
          m.attempts,
          text(m.lastError),
          m.resentFromId ?? '',
        ]),
      ),
    ];
    return { filename: `送信記録_${cycle.label}.csv`, fallback: `cycle-${cycleId}-reminders.csv`, body: UTF8_BOM + lines.join('') };
  }

  private async cycleOf(cycleId: number): Promise<{ id: number; label: string }> {
    const cycle = (await this.cycles.facts([cycleId])).get(cycleId);
    if (!cycle) throw DomainError.notFound('サイクル', cycleId);
    return { id: cycle.id, label: cycle.label };
  }

  private async entryIdsOf(cycleId: number): Promise<number[]> {
    return (await this.entries.refsOfCycles([cycleId])).map((e) => e.id);
  }

  private async mailsOf(cycleId: number, filter: ReminderLogFilter): Promise<(ReminderMailRow & { recipientName: string; recipientLogin: string })[]> {
    const mails: ReminderMailRow[] = await this.dataSource.query(
      `SELECT ${mailColumns('m')}
         FROM reminder_mails m
        WHERE (${cycleMails('$4')}) AND ($2::int IS NULL OR m.recipient_user_id = $2) AND ($3::text IS NULL OR m.kind = $3)
        ORDER BY m.send_at, m.id`,
      [cycleId, filter.recipientUserId ?? null, filter.kind ?? null, await this.entryIdsOf(cycleId)],
    );
    const users = await this.users.rows(mails.map((m) => m.recipientUserId));
    return mails.flatMap((m) => {
      const user = users.get(m.recipientUserId);
      return user ? [{ ...m, recipientName: user.name, recipientLogin: user.login }] : [];
    });
  }

  /** A new pending row copying a finished one; the original stays as it was (history). */
  async resend(id: string, actor: Actor): Promise<ReminderMailRow> {
    return this.dataSource.transaction(async (em) => {
      const [original]: ReminderMailRow[] = await em.query(`SELECT ${mailColumns()} FROM reminder_mails WHERE id = $1 FOR UPDATE`, [id]);
      if (!original) throw DomainError.notFound('リマインダー', id);
      if (!RESENDABLE.includes(original.status)) {
        throw DomainError.conflict('送信前・送信中のリマインダーは再送できません', { field: 'status', status: original.status });
      }
      // Idempotent: a resend of this mail still on its way is the answer to a second click
      // (or a second administrator); a new copy only once the last one has gone or failed.
      const [waiting]: ReminderMailRow[] = await em.query(
        `SELECT ${mailColumns()} FROM reminder_mails WHERE resent_from_id = $1 AND status IN (${sqlWords(MAIL_IN_FLIGHT)}) ORDER BY id DESC LIMIT 1`,
        [original.id],
      );
      if (waiting) return waiting;
      const base = original.slotKey.split('~')[0];
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM reminder_mails WHERE recipient_user_id = $1 AND kind = $2 AND slot_key LIKE $3`, [
        original.recipientUserId,
        original.kind,
        `${base}~r%`,
      ]);
      const [copy]: ReminderMailRow[] = await em.query(
        `INSERT INTO reminder_mails (recipient_user_id, kind, slot_key, send_at, entry_id, comment, payload, resent_from_id)
         VALUES ($1, $2, $3, now(), $4, $5, $6, $7) RETURNING ${mailColumns()}`,
        [
          original.recipientUserId,
          original.kind,
          `${base}~r${n + 1}`,
          original.entryId,
          original.comment,
          original.payload ? JSON.stringify(original.payload) : null,
          original.id,
        ],
      );
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'reminder.resend',
        subjectType: 'reminder_mail',
        subjectId: copy.id,
        before: { id: original.id, status: original.status, lastError: original.lastError },
        after: { id: copy.id, status: copy.status, slotKey: copy.slotKey },
      });
      return copy;
    });
  }
}
