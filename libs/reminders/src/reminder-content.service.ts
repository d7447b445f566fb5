import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { ENTRY_STATE_LABELS, normaliseForm, REMINDER_AUDIENCES, tokyoToday } from '@app/domain';
import type { EntryState, ReminderKind } from '@app/domain';
import { mailFooter, renderMail } from './mail-templates';
import { AuditService } from '@app/audit';
import { CycleReads } from '@app/cycles/cycle-reads.service';
import { EntryReads } from '@app/entries/reads/entry-reads.service';
import { SectionDirectory } from '@app/org/directory/section-directory.service';
import { UserDirectory } from '@app/org/directory/user-directory.service';
import { ItemReads } from '@app/plan-items/reads/item-reads.service';
import { byItemNumber } from '@app/plan-items/reads/item-labels';
import { PendingWorkService } from './pending-work.service';
import { deadlineLabel, digestSubject, japaneseDate } from './reminder-plan';
import { fieldCommentsOf } from './returned-comments';
import type { ReminderAudience } from './reminder-plan';
import { TenantsService } from '@app/database';

export interface DigestEntry {
  id: number;
  cycleId: number;
  itemLabel: string;
  title: string;
  sectionName: string;
  state: EntryState;
  stateLabel: string;
  url: string;
}

export interface DigestGroup {
  cycleId: number;
  cycleLabel: string;
  audience: ReminderAudience;
  actionLabel: string;
  kind: ReminderKind;
  deadline: string;
  deadlineText: string;
  slotText: string;
  /** Entries of the recipient's department waiting on others: the head's escalation, not their own work. */
  escalation: boolean;
  entries: DigestEntry[];
}

export interface Digest {
  groups: DigestGroup[];
  entryIds: number[];
  /** Department heads told of the overdue entries (by their own digest of that hour, not a Cc). */
  headUserIds: number[];
  kind: ReminderKind;
  total: number;
}

export interface ComposedMail {
  to: string;
  cc: string[];
  ccUserIds: number[];
  entryIds: number[];
  subject: string;
  text: string;
  html: string;
  /** The mail as a section of a daily mail (no salutation, no footer). */
  bodyText: string;
  bodyHtml: string;
}

interface EntryDetail {
  id: number;
  cycleId: number;
  state: EntryState;
  number: number;
  subNumber: string;
  title: string;
  sectionName: string;
  headUserId: number | null;
  reviewDeadline: string;
}

interface DigestSlot {
  cycleId: number;
  cycleLabel: string;
  audience: ReminderAudience;
  kind: ReminderKind;
  deadline: string;
  daysFromDeadline: number;
}

interface Person {
  name: string;
  email: string;
}

const URGENCY: Record<ReminderKind, number> = { before: 0, on_deadline: 1, overdue: 2 };

/**
 * What a reminder mail says, computed when it is sent (not when it was planned): an entry
 * that moved on since is no longer listed, and a digest with nothing left is not sent.
 */
@Injectable()
export class ReminderContentService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly config: AppConfig,
    private readonly pending: PendingWorkService,
    private readonly entries: EntryReads,
    private readonly items: ItemReads,
    private readonly users: UserDirectory,
    private readonly sections: SectionDirectory,
    private readonly cycles: CycleReads,
    private readonly audit: AuditService,
  ) {}

  /**
   * The entries as a mail lists them, by item number, sub-number, section code and id: the
   * entries' owner gives where each is, plan-items the item, org the section and its head.
   */
  private async details(em: EntityManager, ids: number[]): Promise<EntryDetail[]> {
    const entries = await this.entries.refsByIds(ids, em);
    if (!entries.length) return [];
    const items = await this.items.labels(
      entries.map((e) => e.itemId),
      em,
    );
    const sections = await this.sections.withDepartments(
      entries.map((e) => e.sectionId),
      em,
    );
    const deadlines = await this.pending.reviewDeadlines(em, entries);
    const rows = entries.flatMap((e) => {
      const item = items.get(e.itemId);
      const section = sections.get(e.sectionId);
      if (!item || !section) return [];
      const detail: EntryDetail & { sectionCode: string } = {
        id: e.id,
        cycleId: e.cycleId,
        state: e.state,
        number: item.number,
        subNumber: item.subNumber,
        title: item.title,
        sectionName: section.name,
        sectionCode: section.code,
        headUserId: section.headUserId,
        reviewDeadline: deadlines.get(e.id) ?? '',
      };
      return [detail];
    });
    rows.sort((a, b) => byItemNumber(a, b) || (a.sectionCode < b.sectionCode ? -1 : a.sectionCode > b.sectionCode ? 1 : 0) || a.id - b.id);
    return rows;
  }

  entryUrl(entryId: number): string {
    return `${this.config.PUBLIC_URL.replace(/\/$/, '')}/#/entries/${entryId}`;
  }

  /**
   * The digest of everything waiting on `userId` in the cycles that have a slot in the Tokyo
   * hour starting at `hourStart` (the send time a slot key names).
   */
  async digest(em: EntityManager, userId: number, hourStart: Date): Promise<Digest | null> {
    return (await this.digests(em, [userId], hourStart)).get(userId) ?? null;
  }

  /** The digests of several people for one send hour, in a handful of queries whatever their number (slots, work per audience, escalations per audience, details). */
  async digests(em: EntityManager, userIds: number[], hourStart: Date): Promise<Map<number, Digest | null>> {
    const slots = await this.slotsOfHour(em, hourStart);
    // userId -> 'audience:entryId' of everything waiting on that user now.
    const waiting = new Map<number, Set<string>>(userIds.map((id) => [id, new Set<string>()]));
    for (const audience of REMINDER_AUDIENCES) {
      const cycleIds = slots.filter((s) => s.audience === audience).map((s) => s.cycleId);
      for (const [userId, ids] of await this.pending.byUser(em, audience, cycleIds, userIds)) {
        for (const id of ids) waiting.get(userId)?.add(`${audience}:${id}`);
      }
    }
    // head userId -> 'audience:entryId' of their department's overdue entries waiting on others.
    const escalated = new Map<number, Set<string>>(userIds.map((id) => [id, new Set<string>()]));
    for (const audience of REMINDER_AUDIENCES) {
      const cycleIds = slots.filter((s) => s.audience === audience && s.kind === 'overdue').map((s) => s.cycleId);
      for (const [userId, ids] of await this.pending.escalations(em, audience, cycleIds, userIds)) {
        for (const id of ids) if (!waiting.get(userId)?.has(`${audience}:${id}`)) escalated.get(userId)?.add(`${audience}:${id}`);
      }
    }
    const keys = [...waiting.values(), ...escalated.values()].flatMap((k) => [...k]);
    const allIds = [...new Set(keys.map((k) => Number(k.split(':')[1])))];
    const details = await this.details(em, allIds);
    // The chiefs (for their section) and the approvers are told when their overdue work went to the head too.
    const users = await this.users.rows(userIds, em);
    const isChief = new Set([...users.values()].filter((u) => u.roles.includes('chief')).map((u) => u.id));
    return new Map(userIds.map((userId) => [userId, this.assemble(userId, slots, details, waiting.get(userId)!, escalated.get(userId)!, isChief.has(userId))]));
  }

  /** The slots of the open cycles in the Tokyo hour starting at `hourStart`: by cycle, the sections' before the approvers', by send time. */
  private async slotsOfHour(em: EntityManager, hourStart: Date): Promise<DigestSlot[]> {
    const rows: (Omit<DigestSlot, 'cycleLabel'> & { sendAt: Date })[] = await em.query(
      `SELECT s.cycle_id AS "cycleId", s.audience, s.kind, s.send_at AS "sendAt",
              to_char(s.deadline, 'YYYY-MM-DD') AS deadline, s.business_days_from_deadline AS "daysFromDeadline"
         FROM reminder_slots s
        WHERE s.send_at >= $1 AND s.send_at < $1::timestamptz + interval '1 hour'
        ORDER BY s.cycle_id, s.audience DESC, s.send_at`,
      [hourStart],
    );
    const cycles = await this.cycles.facts(
      rows.map((r) => r.cycleId),
      em,
    );
    return rows.flatMap(({ sendAt: _sendAt, ...slot }) => {
      const cycle = cycles.get(slot.cycleId);
      return cycle?.state === 'open' ? [{ ...slot, cycleLabel: cycle.label }] : [];
    });
  }

  private assemble(userId: number, slots: DigestSlot[], details: EntryDetail[], waiting: Set<string>, escalated: Set<string>, chief: boolean): Digest | null {
    if (waiting.size === 0 && escalated.size === 0) return null;
    const groups: DigestGroup[] = [];
    const heads = new Set<number>();
    const seen = new Set<string>();
    const today = tokyoToday();
    for (const slot of slots) {
      // Two slots of one cycle, audience and deadline in the same hour make one group.
      const key = `${slot.cycleId}:${slot.audience}:${slot.deadline}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // An entry under review counts from its own wait's deadline: it is listed under the slot of that deadline only.
      const ofSlot = (d: EntryDetail) => d.cycleId === slot.cycleId && (slot.audience === 'submit' || d.reviewDeadline === slot.deadline);
      const group = (entries: EntryDetail[], escalation: boolean): DigestGroup => ({
        cycleId: slot.cycleId,
        cycleLabel: slot.cycleLabel,
        audience: slot.audience,
        actionLabel: slot.audience === 'submit' ? 'エントリーの提出' : 'エントリーの承認',
        kind: slot.kind,
        deadline: slot.deadline,
        deadlineText: japaneseDate(slot.deadline),
        slotText: deadlineLabel(slot.deadline, today),
        escalation,
        entries: entries.map((e) => this.digestEntry(e)),
      });
      const own = details.filter((d) => ofSlot(d) && waiting.has(`${slot.audience}:${d.id}`));
      if (own.length) {
        if (slot.kind === 'overdue' && (chief || slot.audience === 'review')) {
          for (const e of own) if (e.headUserId !== null && e.headUserId !== userId) heads.add(e.headUserId);
        }
        groups.push(group(own, false));
      }
      const others = slot.kind === 'overdue' ? details.filter((d) => ofSlot(d) && escalated.has(`${slot.audience}:${d.id}`)) : [];
      if (others.length) groups.push(group(others, true));
    }
    if (groups.length === 0) return null;
    const entryIds = [...new Set(groups.flatMap((g) => g.entries.map((e) => e.id)))];
    const kind = groups.map((g) => g.kind).reduce((a, b) => (URGENCY[b] > URGENCY[a] ? b : a));
    return { groups, entryIds, headUserIds: [...heads].sort((a, b) => a - b), kind, total: entryIds.length };
  }

  async composeDigest(em: EntityManager, userId: number, hourStart: Date): Promise<ComposedMail | null> {
    const composed = (await this.composeDigests(em, [userId], hourStart)).get(userId);
    if (composed instanceof PermanentMailError) throw composed;
    return composed ?? null;
  }

  /**
   * The digest mails of several people for one send hour: null where nothing is left to say,
   * a PermanentMailError where the person cannot be mailed.
   */
  async composeDigests(em: EntityManager, userIds: number[], hourStart: Date): Promise<Map<number, ComposedMail | PermanentMailError | null>> {
    const digests = await this.digests(em, userIds, hourStart);
    const wanted = [...digests].flatMap(([userId, d]) => (d ? [userId, ...d.headUserIds] : []));
    const people = wanted.length ? await this.people(em, [...new Set(wanted)]) : new Map<number, Person>();
    return new Map([...digests].map(([userId, digest]) => [userId, digest ? this.digestMail(userId, digest, people) : null]));
  }

  private digestMail(userId: number, digest: Digest, people: Map<number, Person>): ComposedMail | PermanentMailError {
    const recipient = people.get(userId);
    if (!recipient) return new PermanentMailError('宛先の利用者が無効か、メールアドレスが登録されていません');
    const subject = digestSubject(digest);
    const headsTold = digest.headUserIds.filter((id) => people.has(id));
    const rendered = renderMail(
      'digest',
      {
        subject,
        recipientName: recipient.name,
        total: digest.total,
        groups: digest.groups,
        escalated: headsTold.length > 0,
      },
      mailFooter(this.tenants.tenantConfig()),
    );
    return {
      to: recipient.email,
      cc: [],
      ccUserIds: [],
      entryIds: digest.entryIds,
      subject,
      ...rendered,
    };
  }

  /**
   * The notice to the author of a returned entry, with the approver's per-field comments under
   * the labels of the cycle's form; null once the entry is no longer 差戻し.
   */
  async composeReturned(em: EntityManager, userId: number, entryId: number, comment: string | null): Promise<ComposedMail | null> {
    const [detail] = await this.details(em, [entryId]);
    const cycle = detail && (await this.cycles.facts([detail.cycleId], em)).get(detail.cycleId);
    if (!detail || cycle?.state !== 'open') return null;
    const returnedBy = await this.audit.lastActorUserId(em, 'entry', entryId, 'entry.return');
    const entry = {
      ...detail,
      cycleLabel: cycle.label,
      // The date to resubmit by: the submission deadline, or once it has passed, the review deadline.
      deadline: cycle.submissionDeadline >= tokyoToday() ? cycle.submissionDeadline : cycle.reviewDeadline,
      returnedByName: returnedBy === null ? null : ((await this.users.rows([returnedBy], em)).get(returnedBy)?.name ?? null),
      fieldComments: await this.entries.returnFieldCommentsOf(entryId, em),
      fields: cycle.fields,
    };
    if (!entry || entry.state !== 'returned') return null;
    const recipient = (await this.people(em, [userId])).get(userId);
    if (!recipient) throw new PermanentMailError('宛先の利用者が無効か、メールアドレスが登録されていません');
    const item = this.digestEntry(entry);
    const subject = `【差戻し】${entry.cycleLabel} ${item.itemLabel} ${truncate(item.title, 30)}（再提出の期限 ${japaneseDate(entry.deadline)}）（評価サイクル）`;
    const rendered = renderMail(
      'returned',
      {
        subject,
        recipientName: recipient.name,
        cycleLabel: entry.cycleLabel,
        itemLabel: item.itemLabel,
        title: item.title,
        sectionName: item.sectionName,
        returnedByName: entry.returnedByName ?? '承認者',
        deadlineText: japaneseDate(entry.deadline),
        comment: comment ?? '',
        fieldComments: fieldCommentsOf(normaliseForm(entry.fields ?? []), entry.fieldComments),
        url: item.url,
      },
      mailFooter(this.tenants.tenantConfig()),
    );
    return { to: recipient.email, cc: [], ccUserIds: [], entryIds: [entryId], subject, ...rendered };
  }

  private digestEntry(e: EntryDetail): DigestEntry {
    return {
      id: e.id,
      cycleId: e.cycleId,
      itemLabel: `No.${e.number}${e.subNumber ? `-${e.subNumber}` : ''}`,
      title: e.title,
      sectionName: e.sectionName,
      state: e.state,
      stateLabel: ENTRY_STATE_LABELS[e.state] ?? e.state,
      url: this.entryUrl(e.id),
    };
  }

  private people(em: EntityManager, ids: number[]): Promise<Map<number, Person>> {
    return this.users.mailable(ids, em);
  }
}

/** A mail that can never be sent as it stands (no address): failed at once, not retried. */
export class PermanentMailError extends Error {}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
