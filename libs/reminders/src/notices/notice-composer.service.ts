import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApprovalRoutingService, ApprovalViewsService } from '@app/approvals';
import { AppConfig } from '@app/config';
import { ENTRY_STATE_LABELS, tokyoToday, type Actor, type ApprovalStepKind, type EntryState } from '@app/domain';
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
    const [cycle]: { label: string; state: string; submissionDeadline: string; reviewDeadline: string }[] = await em.query(
      `SELECT label, state, to_char(submission_deadline, 'YYYY-MM-DD') AS "submissionDeadline", to_char(review_deadline, 'YYYY-MM-DD') AS "reviewDeadline"
         FROM cycles WHERE id = $1`,
      [n.cycleId],
    );
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
    const rows: {
      id: number;
      version: number;
      state: EntryState;
      currentStep: number;
      route: { kind: ApprovalStepKind; label: string }[];
      cycleLabel: string;
      cycleState: string;
      number: number;
      subNumber: string | null;
      title: string;
      sectionName: string;
      activeChiefs: number;
      evaluatorName: string | null;
      evaluatorActive: boolean | null;
      activePlanners: number;
    }[] = await em.query(
      `SELECT e.id, e.version, e.state, e.current_step AS "currentStep", COALESCE(c.rules -> 'approvalRoute', t.approval_route) AS route,
              c.label AS "cycleLabel", c.state AS "cycleState", i.number, i.sub_number AS "subNumber", i.title, s.name AS "sectionName",
              (SELECT count(*)::int FROM users WHERE section_id = e.section_id AND active AND 'chief' = ANY(roles)) AS "activeChiefs",
              ev.name AS "evaluatorName", ev.active AS "evaluatorActive",
              (SELECT count(*)::int FROM users WHERE active AND 'planning' = ANY(roles)) AS "activePlanners"
         FROM entries e JOIN cycles c ON c.id = e.cycle_id JOIN cycle_templates t ON t.id = c.template_id
         JOIN plan_items i ON i.id = e.item_id JOIN sections s ON s.id = e.section_id JOIN departments d ON d.id = s.department_id
         LEFT JOIN users ev ON ev.id = COALESCE(i.evaluator_user_id, d.head_user_id)
        WHERE e.id = ANY($1) AND e.cycle_id = $2
        ORDER BY i.number, i.sub_number, s.code, e.id`,
      [[...refs].map((r) => Number(r.split('-v')[0])), n.cycleId],
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

  private sectionWork(
    em: EntityManager,
    cycleId: number,
    sectionId: number,
  ): Promise<{ id: number; number: number; subNumber: string | null; title: string; state: EntryState }[]> {
    return em.query(
      `SELECT e.id, i.number, i.sub_number AS "subNumber", i.title, e.state
         FROM entries e JOIN plan_items i ON i.id = e.item_id
        WHERE e.cycle_id = $1 AND e.section_id = $2 ORDER BY i.number, i.sub_number, e.id`,
      [cycleId, sectionId],
    );
  }

  private async recipient(em: EntityManager, userId: number): Promise<Recipient | undefined> {
    const [row] = await em.query(
      `SELECT u.id, u.name, u.email, u.section_id AS "sectionId", s.name AS "sectionName", s.department_id AS "departmentId", u.roles
         FROM users u LEFT JOIN sections s ON s.id = u.section_id WHERE u.id = $1 AND u.active AND u.email <> ''`,
      [userId],
    );
    return row;
  }

  private actorOf(r: Recipient): Actor {
    return { id: r.id, name: r.name, sectionId: r.sectionId, departmentId: r.departmentId, roles: r.roles };
  }
}
