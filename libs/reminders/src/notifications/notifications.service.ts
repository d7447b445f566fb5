import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { CycleReads } from '@app/cycles/cycle-reads.service';
import { EntryReads } from '@app/entries/reads/entry-reads.service';
import { ItemReads } from '@app/plan-items/reads/item-reads.service';
import { itemNumberLabel } from '@app/plan-items/reads/item-labels';
import { DomainError } from '@app/common';
import type { Actor, MailKind, NotificationMode } from '@app/domain';
import type { NoticePayload } from '../notices/notice-payload';

const PAGE = 50;

/** One notification in the UI: a row of the outbox addressed to the user. */
export interface NotificationItem {
  id: string;
  kind: string;
  title: string;
  /** When it happened (the row's moment; for a reminder, its send hour). */
  at: Date;
  read: boolean;
  /** The UI route it opens: the entry when it names one, else the list it is about. */
  path: string;
}

interface Row {
  id: string;
  kind: MailKind;
  subject: string | null;
  sendAt: Date;
  readAt: Date | null;
  entryId: number | null;
  entryIds: number[];
  payload: NoticePayload | null;
  cycleLabel: string | null;
  itemLabel: string | null;
}

const CYCLE_NOTICE_TITLES: Record<string, string> = {
  cycle_request: '【依頼】エントリーの入力をお願いします',
  review_request: '【承認依頼】承認待ちのエントリーがあります',
  cycle_state: '【締切・再開】サイクルの受付が変わりました',
  stuck_entries: '【要対応】承認する人がいないエントリーがあります',
};
const LIST_PATHS: Record<string, string> = { review_request: '/inbox', stuck_entries: '/inbox' };

/**
 * The in-app notifications. Their source is the outbox itself: every mail row addressed to the
 * user is one notification (one row per recipient already, written in the transaction of its
 * event), so the bell and the mail can never disagree and nothing is written twice. Left out:
 * rows not yet due (a 依頼 waiting for its send hour), cancelled ones (nothing was left to say),
 * resends (the original is the notification) and the daily mails (their parts are listed).
 * A row's title is its mail's subject once sent, before that a label from its kind.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly entries: EntryReads,
    private readonly items: ItemReads,
    private readonly cycles: CycleReads,
  ) {}

  private static readonly VISIBLE = `m.recipient_user_id = $1 AND m.kind <> 'daily' AND m.status <> 'cancelled'
    AND m.resent_from_id IS NULL AND m.send_at <= now()`;

  async list(actor: Actor): Promise<{ unread: number; items: NotificationItem[] }> {
    const mails: (Omit<Row, 'cycleLabel' | 'itemLabel'> & { payloadCycleId: number | null })[] = await this.dataSource.query(
      `SELECT m.id, m.kind, m.subject, m.send_at AS "sendAt", m.read_at AS "readAt", m.entry_id AS "entryId", m.entry_ids AS "entryIds", m.payload,
              (m.payload ->> 'cycleId')::int AS "payloadCycleId"
         FROM reminder_mails m
        WHERE ${NotificationsService.VISIBLE}
        ORDER BY m.send_at DESC, m.id DESC LIMIT $2`,
      [actor.id, PAGE],
    );
    // The entry, its item and cycle named from their owners (one query each for the page).
    const entries = new Map((await this.entries.refsByIds(mails.flatMap((m) => (m.entryId === null ? [] : [m.entryId])))).map((e) => [e.id, e]));
    const items = await this.items.labels([...entries.values()].map((e) => e.itemId));
    const entryOf = (m: { entryId: number | null }) => (m.entryId === null ? undefined : entries.get(m.entryId));
    const cycleIdOf = (m: (typeof mails)[number]) => entryOf(m)?.cycleId ?? m.payloadCycleId;
    const cycles = await this.cycles.facts(mails.map(cycleIdOf).filter((id): id is number => id !== null));
    const rows: Row[] = mails.map((mail) => {
      const { payloadCycleId: _payloadCycleId, ...m } = mail;
      const entry = entryOf(m);
      const item = entry && items.get(entry.itemId);
      const cycleId = cycleIdOf(mail);
      return {
        ...m,
        cycleLabel: cycleId === null ? null : (cycles.get(cycleId)?.label ?? null),
        itemLabel: item ? `${itemNumberLabel(item)} ${item.title}` : null,
      };
    });
    return { unread: await this.unread(actor), items: rows.map((r) => this.item(r)) };
  }

  async unread(actor: Actor): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM reminder_mails m WHERE ${NotificationsService.VISIBLE} AND m.read_at IS NULL`, [
      actor.id,
    ]);
    return n;
  }

  /** Marks one of my notifications read (again: nothing changes); 404 for anyone else's. */
  async markRead(actor: Actor, id: string): Promise<{ unread: number }> {
    const [row] = await this.dataSource.query(`SELECT id FROM reminder_mails m WHERE m.id = $2 AND ${NotificationsService.VISIBLE}`, [actor.id, id]);
    if (!row) throw DomainError.notFound('通知', id);
    await this.dataSource.query(`UPDATE reminder_mails SET read_at = now() WHERE id = $1 AND read_at IS NULL`, [id]);
    return { unread: await this.unread(actor) };
  }

  async markAllRead(actor: Actor): Promise<{ unread: number }> {
    await this.dataSource.query(`UPDATE reminder_mails m SET read_at = now() WHERE ${NotificationsService.VISIBLE} AND m.read_at IS NULL`, [actor.id]);
    return { unread: 0 };
  }

  async settings(actor: Actor): Promise<{ mode: NotificationMode }> {
    const [row] = await this.dataSource.query(`SELECT mode FROM notification_settings WHERE user_id = $1`, [actor.id]);
    return { mode: (row?.mode as NotificationMode) ?? 'immediate' };
  }

  /** The user's choice, audited; applies to every row that falls due from now on. */
  async setSettings(actor: Actor, mode: NotificationMode): Promise<{ mode: NotificationMode }> {
    return this.dataSource.transaction(async (em) => {
      const [before] = await em.query(`SELECT mode FROM notification_settings WHERE user_id = $1 FOR UPDATE`, [actor.id]);
      const previous: NotificationMode = before?.mode ?? 'immediate';
      if (previous === mode) return { mode };
      await em.query(
        `INSERT INTO notification_settings (user_id, mode) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET mode = EXCLUDED.mode, updated_at = now()`,
        [actor.id, mode],
      );
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'user.notification_settings',
        subjectType: 'user',
        subjectId: actor.id,
        before: { mode: previous },
        after: { mode },
      });
      return { mode };
    });
  }

  private item(r: Row): NotificationItem {
    const p = r.payload;
    const path =
      r.entryId !== null
        ? `/entries/${r.entryId}`
        : r.entryIds.length === 1
          ? `/entries/${r.entryIds[0]}`
          : p && 'path' in p && p.path
            ? p.path
            : p
              ? (LIST_PATHS[p.type] ?? '/mine')
              : '/mine';
    return { id: r.id, kind: r.kind, title: this.title(r), at: r.sendAt, read: r.readAt !== null, path };
  }

  private title(r: Row): string {
    if (r.subject) return r.subject.replace(/（評価サイクル）$/, '');
    const p = r.payload;
    if (p && 'subject' in p) return p.subject.replace(/（評価サイクル）$/, '');
    const cycle = r.cycleLabel ? ` ${r.cycleLabel}` : '';
    if (r.kind === 'returned') return `【差戻し】${cycle.trim()} ${r.itemLabel ?? ''}`.trim();
    if (r.kind === 'digest') return '【リマインダー】対応が必要なエントリーがあります';
    return `${CYCLE_NOTICE_TITLES[p?.type ?? ''] ?? 'お知らせ'}${cycle}`;
  }
}
