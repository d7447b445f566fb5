import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import { DomainEvent } from '@app/common';
import type { DelegationEvent, DelegationRecordedEvent, EntryActedForEvent } from '@app/common';
import { type ApprovalStepKind, tokyoToday } from '@app/domain';
import { japaneseDate } from '../reminder-plan';
import type { NoticePayload } from './notice-payload';
import { actedForNotice, delegationConfirmedNotice, DelegationFacts, delegationGrantedNotice, delegationRequestNotice } from './notice-texts';

/**
 * Writes notice mails (kind 'notice') into the outbox in the transaction of the change that
 * causes them, so a notice is sent if and only if its change committed, and once: the slot key
 * names the event (`acted-<entry>-v<version>`, `delegation-<id>-<what>`).
 */
@Injectable()
export class NoticeOutboxService {
  @OnEvent(DomainEvent.EntryActedFor, { suppressErrors: false })
  async onActedFor(event: EntryActedForEvent): Promise<void> {
    const [facts]: {
      actorName: string;
      itemLabel: string;
      title: string;
      sectionName: string;
      cycleLabel: string;
      at: string;
      atTime: string;
    }[] = await event.em.query(
      `SELECT a.name AS "actorName", 'No.' || i.number || CASE WHEN i.sub_number <> '' THEN '-' || i.sub_number ELSE '' END AS "itemLabel",
              i.title, s.name AS "sectionName", c.label AS "cycleLabel",
              to_char(now() AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS at, to_char(now() AT TIME ZONE 'Asia/Tokyo', 'HH24:MI') AS "atTime"
         FROM entries e JOIN plan_items i ON i.id = e.item_id JOIN sections s ON s.id = e.section_id JOIN cycles c ON c.id = e.cycle_id,
              users a
        WHERE e.id = $1 AND a.id = $2`,
      [event.entryId, event.actorUserId],
    );
    const payload = actedForNotice({
      ...facts,
      action: event.action,
      stepLabel: event.stepLabel,
      atText: `${japaneseDate(facts.at)} ${facts.atTime}`,
      comment: event.comment,
      entryId: event.entryId,
    });
    await this.write(event.em, event.principalUserId, `acted-${event.entryId}-v${event.version}`, payload, event.entryId);
  }

  @OnEvent(DomainEvent.DelegationRecorded, { suppressErrors: false })
  async onRecorded(event: DelegationRecordedEvent): Promise<void> {
    const d = await this.facts(event.em, event.delegationId);
    if (event.needsConfirmation) {
      await this.write(event.em, d.fromUserId, `delegation-${event.delegationId}-request`, delegationRequestNotice(d));
    } else {
      await this.write(event.em, d.toUserId, `delegation-${event.delegationId}-granted`, delegationGrantedNotice(d));
    }
  }

  @OnEvent(DomainEvent.DelegationConfirmed, { suppressErrors: false })
  async onConfirmed(event: DelegationEvent): Promise<void> {
    const d = await this.facts(event.em, event.delegationId);
    await this.write(event.em, d.toUserId, `delegation-${event.delegationId}-granted`, delegationGrantedNotice(d));
    if (event.actorUserId !== d.fromUserId) {
      const [{ name }] = await event.em.query(`SELECT name FROM users WHERE id = $1`, [event.actorUserId]);
      await this.write(event.em, d.fromUserId, `delegation-${event.delegationId}-confirmed`, delegationConfirmedNotice({ ...d, confirmerName: name }));
    }
  }

  private async facts(em: EntityManager, id: number): Promise<DelegationFacts & { fromUserId: number; toUserId: number }> {
    const [row] = await em.query(
      `SELECT d.from_user_id AS "fromUserId", d.to_user_id AS "toUserId", f.name AS "principalName", t.name AS "delegateName",
              COALESCE(r.name, f.name) AS "recorderName", to_char(d.starts_on, 'YYYY-MM-DD') AS "startsOn",
              to_char(d.ends_on, 'YYYY-MM-DD') AS "endsOn", c.label AS "cycleLabel", d.step_kind AS "stepKind", d.reason
         FROM delegations d JOIN users f ON f.id = d.from_user_id JOIN users t ON t.id = d.to_user_id
         LEFT JOIN users r ON r.id = d.created_by LEFT JOIN cycles c ON c.id = d.cycle_id
        WHERE d.id = $1`,
      [id],
    );
    return { ...row, stepKind: row.stepKind as ApprovalStepKind | null, today: tokyoToday() };
  }

  private async write(em: EntityManager, recipientUserId: number, slotKey: string, payload: NoticePayload, entryId: number | null = null): Promise<void> {
    await em.query(
      `INSERT INTO reminder_mails (recipient_user_id, kind, slot_key, send_at, entry_id, payload)
       VALUES ($1, 'notice', $2, now(), $3, $4)
       ON CONFLICT (recipient_user_id, kind, slot_key) DO NOTHING`,
      [recipientUserId, slotKey, entryId, JSON.stringify(payload)],
    );
  }
}
