import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { UserDirectory } from '@app/org/directory/user-directory.service';
import { MAIL_KINDS_IN_DAILY, nextSendTime, slotHourStart, slotKey, tokyoToday } from '@app/domain';
import { sqlWords } from '@app/common';
import { mailColumns } from '../entities/reminder-rows';
import type { ReminderMailRow } from '../entities/reminder-rows';
import { mailFooter, renderMail } from '../mail-templates';
import { ComposedMail, PermanentMailError, ReminderContentService } from '../reminder-content.service';
import { japaneseDate } from '../reminder-plan';
import { NoticeComposerService } from '../notices/notice-composer.service';
import { TenantsService } from '@app/database';

const BUNDLE_BATCH = 500;
/**
 * Notices that never wait for the daily mail: they are about the account's safety (a lock; a
 * delegation someone recorded in the user's name, to confirm or revoke), not about the work.
 */
const NEVER_HELD = ['account_locked', 'delegation_request'];

/** A daily mail, with what each of its rows said (written on the rows once it is sent). */
export interface DailyMail extends ComposedMail {
  parts: { id: string; subject: string; entryIds: number[] }[];
  empty: string[];
}

/** Rows of one bundled mail as the daily mail lists them; `mail` null: nothing left to say. */
interface Part {
  row: ReminderMailRow;
  mail: ComposedMail | null;
}

/**
 * The daily mail of users who chose 「1日1回まとめて」 (notification_settings.mode 'daily'). Their
 * rows (notices, returns, digests) are written as for everyone, at the event, in its
 * transaction; when such a row falls due the relay gathers it into the user's daily row (kind
 * 'daily', one per user and send time, `daily-<slot key>`) at the first send time at or after
 * it, instead of queuing it: status 'bundled', bundle_id. The daily row is sent like any other
 * and composes each gathered row then (so what was done since is left out): one mail per day.
 * Never held back: the notices of NEVER_HELD and resends by planning.
 */
@Injectable()
export class DailyMailService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly content: ReminderContentService,
    private readonly notices: NoticeComposerService,
    private readonly users: UserDirectory,
  ) {}

  /** Gathers the due rows of daily users into their daily rows; answers how many. */
  bundle(): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const due: { id: string; userId: number; sendAt: Date }[] = await em.query(
        `SELECT m.id, m.recipient_user_id AS "userId", m.send_at AS "sendAt"
           FROM reminder_mails m JOIN notification_settings n ON n.user_id = m.recipient_user_id AND n.mode = 'daily'
          WHERE m.status = 'pending' AND m.send_at <= now() AND m.kind IN (${sqlWords(MAIL_KINDS_IN_DAILY)})
            AND m.resent_from_id IS NULL AND COALESCE(m.payload ->> 'type', '') <> ALL($2)
          ORDER BY m.id LIMIT $1 FOR UPDATE OF m SKIP LOCKED`,
        [BUNDLE_BATCH, NEVER_HELD],
      );
      const groups = new Map<string, { userId: number; at: Date; ids: string[] }>();
      for (const row of due) {
        // The first send time at or after the row's own moment: a digest stays in its hour.
        const at = nextSendTime(new Date(new Date(row.sendAt).getTime() - 1), this.config.REMINDER_HOUR);
        const key = `${row.userId}:${at.toISOString()}`;
        const group = groups.get(key) ?? { userId: row.userId, at, ids: [] };
        group.ids.push(row.id);
        groups.set(key, group);
      }
      let bundled = 0;
      for (const g of groups.values()) {
        await em.query(
          `INSERT INTO reminder_mails (recipient_user_id, kind, slot_key, send_at) VALUES ($1, 'daily', $2, $3)
           ON CONFLICT (recipient_user_id, kind, slot_key) DO NOTHING`,
          [g.userId, `daily-${slotKey(g.at)}`, g.at],
        );
        // A daily mail already on its way takes nothing more: those rows go on their own.
        const [daily]: { id: string }[] = await em.query(
          `SELECT id FROM reminder_mails WHERE recipient_user_id = $1 AND kind = 'daily' AND slot_key = $2 AND status = 'pending' FOR UPDATE`,
          [g.userId, `daily-${slotKey(g.at)}`],
        );
        if (!daily) continue;
        await em.query(`UPDATE reminder_mails SET status = 'bundled', bundle_id = $2 WHERE id = ANY($1)`, [g.ids, daily.id]);
        bundled += g.ids.length;
      }
      return bundled;
    });
  }

  /** The daily mail of row `daily`, from what each gathered row says now; null when none says anything. */
  async compose(em: EntityManager, daily: ReminderMailRow): Promise<DailyMail | null> {
    const rows: ReminderMailRow[] = await em.query(`SELECT ${mailColumns()} FROM reminder_mails WHERE bundle_id = $1 ORDER BY send_at, id`, [daily.id]);
    const parts: Part[] = [];
    for (const row of rows) parts.push({ row, mail: await this.composePart(em, row) });
    const said = parts.filter((p): p is { row: ReminderMailRow; mail: ComposedMail } => p.mail !== null);
    if (!said.length) return null;
    const first = said[0].mail;
    // Nothing said at all (every part done with since): the daily row is cancelled, and its parts with it.
    const subject = `【まとめ】${japaneseDate(tokyoToday(new Date(daily.sendAt)))}の評価サイクルのお知らせ（${said.length}件）`;
    const since = new Date(Math.min(...rows.map((r) => new Date(r.sendAt).getTime())));
    const base = this.config.PUBLIC_URL.replace(/\/$/, '');
    const rendered = renderMail(
      'daily',
      {
        subject,
        recipientName: await this.nameOf(em, daily.recipientUserId),
        count: said.length,
        sinceText: japaneseDate(tokyoToday(since)),
        items: said.map((p) => ({ subject: p.mail.subject, body: p.mail.bodyText, bodyHtml: p.mail.bodyHtml })),
        settingsUrl: `${base}/#/notifications`,
      },
      mailFooter(this.tenants.tenantConfig()),
    );
    return {
      to: first.to,
      cc: [...new Set(said.flatMap((p) => p.mail.cc))],
      ccUserIds: [...new Set(said.flatMap((p) => p.mail.ccUserIds))],
      entryIds: [...new Set(said.flatMap((p) => p.mail.entryIds))],
      subject,
      ...rendered,
      parts: said.map((p) => ({ id: p.row.id, subject: p.mail.subject, entryIds: p.mail.entryIds })),
      empty: parts.filter((p) => p.mail === null).map((p) => p.row.id),
    };
  }

  /** Once the daily mail went: each gathered row keeps what it said and when (its own subject), or is cancelled. */
  async markParts(mail: DailyMail): Promise<void> {
    const em = this.dataSource.manager;
    for (const part of mail.parts) {
      await em.query(`UPDATE reminder_mails SET sent_at = now(), subject = $2, entry_ids = $3 WHERE id = $1 AND status = 'bundled'`, [
        part.id,
        part.subject,
        part.entryIds,
      ]);
    }
    if (mail.empty.length) await em.query(`UPDATE reminder_mails SET status = 'cancelled' WHERE id = ANY($1) AND status = 'bundled'`, [mail.empty]);
  }

  private async composePart(em: EntityManager, row: ReminderMailRow): Promise<ComposedMail | null> {
    try {
      if (row.kind === 'digest') return await this.content.composeDigest(em, row.recipientUserId, slotHourStart(row.slotKey));
      if (row.kind === 'notice') return await this.notices.compose(em, row.recipientUserId, row.payload);
      return await this.content.composeReturned(em, row.recipientUserId, row.entryId!, row.comment);
    } catch (error) {
      // One part that cannot be said (a notice without content) does not stop the others.
      if (error instanceof PermanentMailError) return null;
      throw error;
    }
  }

  private async nameOf(em: EntityManager, userId: number): Promise<string> {
    return (await this.users.rows([userId], em)).get(userId)?.name ?? '';
  }
}
