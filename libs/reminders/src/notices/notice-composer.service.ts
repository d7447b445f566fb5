import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApprovalRoutingService, ApprovalViewsService } from '@app/approvals';
import { AppConfig } from '@app/config';
import { CycleRoutesService } from '@app/cycles';
import { CycleReads } from '@app/cycles/cycle-reads.service';
import { EntryReads } from '@app/entries/reads/entry-reads.service';
import { SectionDirectory } from '@app/org/directory/section-directory.service';
import { UserDirectory } from '@app/org/directory/user-directory.service';
import { ItemReads } from '@app/plan-items/reads/item-reads.service';
import { byItemNumber } from '@app/plan-items/reads/item-labels';
import { ENTRY_STATE_LABELS, tokyoToday, type Actor, type EntryState } from '@app/domain';
import { mailFooter, renderMail } from '../mail-templates';
import { SECTION_MUST_ACT } from '../pending-work.service';
import { ComposedMail, PermanentMailError } from '../reminder-content.service';
import { isTextNotice, type CycleNotice, type NoticePayload, type StuckNotice } from './notice-payload';
import { cycleRequestNotice, cycleStateNotice, type NoticeText, reviewRequestNotice, stuckEntriesNotice, stuckReason, type WorkLine } from './notice-texts';
import { TenantsService } from '@app/database';

interface Recipient {
  id: number;
  name: string;
  email: string;
  sectionId: number | null;
  sectionName: string | null;
  departmentId: number | null;
  roles: Actor['roles'];
}

/** The fields of an inbox entry a 承認依頼 lists. */
interface InboxLine {
  id: number;
  itemNumber: number;
  itemSubNumber: string | null;
  itemTitle: string;
  sectionName: string;
  stepLabel: string;
  acting: boolean;
  onBehalfOf: { name: string } | null;
}

const itemLabel = (number: number, sub: string | null) => `No.${number}${sub ? `-${sub}` : ''}`;

/**
 * The mail of a notice row (kind 'notice'), at send time. A text notice is rendered as
 * composed; a notice about work still to do lists what still waits for the recipient now, and
 * is not sent (null: the row is cancelled) when nothing does.
 */
@Injectable()
export class NoticeComposerService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly config: AppConfig,
    private readonly approvals: ApprovalViewsService,
    private readonly routing: ApprovalRoutingService,
    private readonly routes: CycleRoutesService,
    private readonly cycles: CycleReads,
    private readonly entries: EntryReads,
    private readonly items: ItemReads,
    private readonly users: UserDirectory,
    private readonly sections: SectionDirectory,
  ) {}

  async compose(em: EntityManager, userId: number, payload: NoticePayload | null): Promise<ComposedMail | null> {
    if (!payload) throw new PermanentMailError('通知の内容がありません');
    const recipient = await this.recipient(em, userId);
    if (!recipient) throw new PermanentMailError('宛先の利用者が無効か、メールアドレスが登録されていません');
    const text = isTextNotice(payload)
      ? payload
      : payload.type === 'stuck_entries'
        ? await this.stuckNotice(em, payload)
        : await this.workNotice(em, recipient, payload);
    if (!text) return null;
    const rendered = renderMail(
      'notice',
      {
        subject: text.subject,
        recipientName: recipient.name,
        lead: text.lead,
        // Every line has a url (a link to its entry, or '') for the templates' strict mode.
        lines: text.lines.map((l) => ({ url: '', ...l })),
        comment: text.comment ?? '',
        action: text.action ?? '',
        url: text.path ? this.link(text.path) : '',
      },
      mailFooter(this.tenants.tenantConfig()),
    );
    return { to: recipient.email, cc: [], ccUserIds: [], entryIds: [], subject: text.subject, ...rendered };
  }

  private async workNotice(em: EntityManager, recipient: Recipient, n: CycleNotice): Promise<NoticeText | null> {
    const cycle = (await this.cycles.facts([n.cycleId], em)).get(n.cycleId);
    if (!cycle) return null;
    if (n.type === 'review_request') {
      if (cycle.state !== 'open') return null;
      // Exactly what the recipient's 承認待ち shows for this cycle (their own and 代決).
      const inbox = await this.approvals.inbox(this.actorOf(recipient));
      const work: WorkLine[] = inbox.groups
        .filter((g) => g.cycleId === n.cycleId)
        .flatMap((g) => g.sections.flatMap((s) => s.entries as InboxLine[]))
        .map((e) => ({
          url: this.link(`/entries/${e.id}`),
          itemLabel: itemLabel(e.itemNumber, e.itemSubNumber),
          title: e.itemTitle,
          detail: `${e.sectionName}・${e.stepLabel}${e.acting && e.onBehalfOf ? `・${e.onBehalfOf.name}さんの代決` : ''}`,
        }));
      return work.length ? reviewRequestNotice({ cycleLabel: cycle.label, reviewDeadline: cycle.reviewDeadline, work }) : null;
    }
    if (recipient.sectionId === null) return null;
    const section = await this.sectionWork(em, n.cycleId, recipient.sectionId);
    if (n.type === 'cycle_request') {
      const work = section.filter((e) => SECTION_MUST_ACT.includes(e.state));
      if (cycle.state !== 'open' || !work.length) return null;
      return cycleRequestNotice({
        cycleLabel: cycle.label,
        sectionName: recipient.sectionName ?? '',
        deadline: cycle.submissionDeadline,
        today: tokyoToday(),
        work: work.map((e) => ({
          url: this.link(`/entries/${e.id}`),
          itemLabel: itemLabel(e.number, e.subNumber),
          title: e.title,
          detail: ENTRY_STATE_LABELS[e.state],
        })),
      });
    }
    return cycleStateNotice({
      cycleLabel: cycle.label,
      action: n.action ?? 'close',
      reason: n.reason ?? null,
      notSubmitted: section.filter((e) => e.state === 'not_submitted').length,
      open: section.filter((e) => SECTION_MUST_ACT.includes(e.state)).length,
    });
  }

  /** The entries of the notice still waiting, at the same state, for a step nobody can hold. */
  private async stuckNotice(em: EntityManager, n: StuckNotice): Promise<NoticeText | null> {
    const refs = new Set(n.entries);
    const rows = await this.stuckRows(
      em,
      n.cycleId,
      [...refs].map((r) => Number(r.split('-v')[0])),
    );
    const current = rows.filter((r) => r.cycleState === 'open' && refs.has(`${r.id}-v${r.version}`));
    const approvers = await this.routing.pendingApprovers(
      em,
      current.map((r) => r.id),
    );
    const stuck = current.filter((r) => approvers.get(r.id)?.length === 0 && r.route[r.currentStep]);
    if (!stuck.length) return null;
    return stuckEntriesNotice({
      cycleLabel: stuck[0].cycleLabel,
      toAdmins: n.toAdmins === true,
      work: stuck.map((r) => {
        const step = r.route[r.currentStep];
        return {
          url: this.link(`/entries/${r.id}`),
          itemLabel: itemLabel(r.number, r.subNumber),
          title: r.title,
          detail: `${r.sectionName}・${stuckReason({ ...r, stepKind: step.kind, stepLabel: step.label })}`,
        };
      }),
    });
  }

  private link(path: string): string {
    return `${this.config.PUBLIC_URL.replace(/\/$/, '')}/#${path}`;
  }

  /** The entries of the cycle among `ids` with what says why nobody can approve them: by item number, section code, id. */
  private async stuckRows(em: EntityManager, cycleId: number, ids: number[]) {
    const entries = (await this.entries.refsByIds(ids, em)).filter((e) => e.cycleId === cycleId);
    const cycle = (await this.cycles.facts([cycleId], em)).get(cycleId);
    if (!cycle || !entries.length) return [];
    const route = await this.routes.routeOf(cycleId, em);
    const items = await this.items.labels(
      entries.map((e) => e.itemId),
      em,
    );
    const sectionIds = entries.map((e) => e.sectionId);
    const sections = await this.sections.withDepartments(sectionIds, em);
    const members = await this.users.activeMembersOf(sectionIds, em);
    // The evaluator step's holder: the item's own evaluator, else the department head.
    const evaluatorOf = (itemId: number, sectionId: number) => items.get(itemId)?.evaluatorUserId ?? sections.get(sectionId)?.headUserId ?? null;
    const evaluators = await this.users.rows(
      entries.map((e) => evaluatorOf(e.itemId, e.sectionId)).filter((id): id is number => id !== null),
      em,
    );
    const activePlanners = (await this.users.activeIdsWithRole('planning', false, em)).length;
    return entries
      .flatMap((e) => {
        const item = items.get(e.itemId);
        const section = sections.get(e.sectionId);
        if (!item || !section) return [];
        const evaluatorId = evaluatorOf(e.itemId, e.sectionId);
        const evaluator = evaluatorId === null ? undefined : evaluators.get(evaluatorId);
        return [
          {
            id: e.id,
            version: e.version,
            state: e.state,
            currentStep: e.currentStep,
            route,
            cycleLabel: cycle.label,
            cycleState: cycle.state,
            number: item.number,
            subNumber: item.subNumber,
            title: item.title,
            sectionName: section.name,
            sectionCode: section.code,
            activeChiefs: (members.get(e.sectionId) ?? []).filter((m) => m.roles.includes('chief')).length,
            evaluatorName: evaluator?.name ?? null,
            evaluatorActive: evaluator?.active ?? null,
            activePlanners,
          },
        ];
      })
      .sort((a, b) => byItemNumber(a, b) || (a.sectionCode < b.sectionCode ? -1 : a.sectionCode > b.sectionCode ? 1 : 0) || a.id - b.id);
  }

  /** The entries of the cycle for one section, by item number and id. */
  private async sectionWork(
    em: EntityManager,
    cycleId: number,
    sectionId: number,
  ): Promise<{ id: number; number: number; subNumber: string | null; title: string; state: EntryState }[]> {
    const entries = await this.entries.refsOfCycles([cycleId], { sectionIds: [sectionId] }, em);
    const items = await this.items.labels(
      entries.map((e) => e.itemId),
      em,
    );
    return entries
      .flatMap((e) => {
        const item = items.get(e.itemId);
        return item ? [{ id: e.id, number: item.number, subNumber: item.subNumber, title: item.title, state: e.state }] : [];
      })
      .sort((a, b) => byItemNumber(a, b) || a.id - b.id);
  }

  private async recipient(em: EntityManager, userId: number): Promise<Recipient | undefined> {
    const user = (await this.users.mailable([userId], em)).get(userId);
    if (!user) return undefined;
    const section = user.sectionId === null ? undefined : (await this.sections.withDepartments([user.sectionId], em)).get(user.sectionId);
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      sectionId: user.sectionId,
      sectionName: section?.name ?? null,
      departmentId: section?.departmentId ?? null,
      roles: user.roles,
    };
  }

  private actorOf(r: Recipient): Actor {
    return { id: r.id, name: r.name, sectionId: r.sectionId, departmentId: r.departmentId, roles: r.roles };
  }
}
