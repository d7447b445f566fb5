import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError, DomainEvent } from '@app/common';
import type { EntrySubmittingEvent } from '@app/common';
import { Actor, hasRole, isEditableByAuthor, readApprovalOptions, RECOMMENDATION_RESPONSE_LABEL, type EntryState } from '@app/domain';
import { CycleReads } from '@app/cycles';
import { canWriteEntry, EntriesService, EntryReads } from '@app/entries';
import { SectionDirectory, UserDirectory } from '@app/org';
import { ItemReads } from '@app/plan-items';

const MAX_TEXT = 4000;

/**
 * 外部評価 (行政評価委員会): planning assigns outside reviewers to a cycle; they read only the
 * cycle's accepted entries (what is ready for publication: no drafts, no comments of the internal
 * route, no history, no other cycle) and write one recommendation (提言) per item; each section
 * answers it (対応方針) in its entry of the same item in the next cycle. Owns external_reviewers,
 * recommendations and recommendation_responses.
 */
@Injectable()
export class ExternalReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly entries: EntriesService,
    private readonly audit: AuditService,
    private readonly cycles: CycleReads,
    private readonly entryReads: EntryReads,
    private readonly sectionDirectory: SectionDirectory,
    private readonly userDirectory: UserDirectory,
    private readonly items: ItemReads,
  ) {}

  /** Planning or admin assigns an outside reviewer to a cycle of a template with outside review. */
  async assign(cycleId: number, userId: number, actor: Actor) {
    if (!hasRole(actor, 'planning', 'admin')) throw DomainError.forbidden('外部評価委員を割り当てられるのは企画担当・管理者のみです');
    return this.dataSource.transaction(async (em) => {
      const cycle = (await this.cycles.approvalOptionsOf([cycleId], em)).get(cycleId);
      if (!cycle) throw DomainError.notFound('サイクル', cycleId);
      if (!readApprovalOptions(cycle.options).externalReview?.enabled) {
        throw DomainError.conflict('このサイクルのテンプレートは外部評価を行う設定になっていません', { field: 'cycleId' });
      }
      const user = (await this.userDirectory.forRouting([userId], em)).get(userId);
      if (!user || !user.active) throw DomainError.invalid('userId', `職員 ${userId} が存在しないか無効です`);
      if (!user.roles.includes('external_reviewer')) throw DomainError.invalid('userId', '外部評価委員の役割を持つ利用者を指定してください');
      await em.query(`INSERT INTO external_reviewers (cycle_id, user_id, assigned_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [cycleId, userId, actor.id]);
      await this.audit.record(em, { actorUserId: actor.id, action: 'cycle.assign_reviewer', subjectType: 'cycle', subjectId: cycleId, after: { userId } });
      return { cycleId, userId };
    });
  }

  /** The reviewers assigned to a cycle, for planning's dashboard; `enabled`: the cycle's template has outside review. */
  async reviewersOf(cycleId: number) {
    const cycle = (await this.cycles.approvalOptionsOf([cycleId])).get(cycleId);
    if (!cycle) throw DomainError.notFound('サイクル', cycleId);
    const assigned: { userId: number; assignedAt: Date }[] = await this.dataSource.query(
      `SELECT user_id AS "userId", assigned_at AS "assignedAt" FROM external_reviewers WHERE cycle_id = $1`,
      [cycleId],
    );
    const users = await this.userDirectory.forRouting(assigned.map((r) => r.userId));
    const reviewers = assigned
      .filter((r) => users.has(r.userId))
      .map((r) => ({ userId: r.userId, name: users.get(r.userId)!.name, assignedAt: r.assignedAt }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { enabled: !!readApprovalOptions(cycle.options).externalReview?.enabled, reviewers };
  }

  /** The cycles the reviewer is assigned to. */
  async myCycles(actor: Actor): Promise<{ id: number; label: string; state: string; templateName: string }[]> {
    const assigned: { cycleId: number }[] = await this.dataSource.query(`SELECT cycle_id AS "cycleId" FROM external_reviewers WHERE user_id = $1`, [actor.id]);
    const cycles = await this.cycles.approvalOptionsOf(assigned.map((r) => r.cycleId));
    // Newest period first, then by id.
    return [...cycles.entries()]
      .sort(([a, x], [b, y]) => (x.periodStart < y.periodStart ? 1 : x.periodStart > y.periodStart ? -1 : a - b))
      .map(([id, c]) => ({ id, label: c.label, state: c.state, templateName: c.templateName }));
  }

  /**
   * What the reviewer reads of an assigned cycle: per item, its accepted entries (each section's
   * rating and text, nothing of the internal route) and the recommendation written so far.
   */
  async reviewItems(cycleId: number, actor: Actor) {
    await this.assertAssigned(cycleId, actor);
    // The accepted entries, their items and sections from their owners; the 提言 from here.
    const accepted = await this.entryReads.acceptedInCycle(cycleId);
    const [itemsById, sections, recommendations] = await Promise.all([
      this.items.labels(accepted.map((e) => e.itemId)),
      this.sectionDirectory.withDepartments(accepted.map((e) => e.sectionId)),
      this.dataSource.query(`SELECT item_id AS "itemId", text FROM recommendations WHERE cycle_id = $1`, [cycleId]) as Promise<
        { itemId: number; text: string }[]
      >,
    ]);
    const text = new Map(recommendations.map((r) => [r.itemId, r.text]));
    const rows = accepted
      .filter((e) => itemsById.has(e.itemId) && sections.has(e.sectionId))
      .map(({ itemId, sectionId, ...e }) => {
        const item = itemsById.get(itemId)!;
        return {
          itemId,
          itemNumber: item.number,
          itemSubNumber: item.subNumber,
          itemTitle: item.title,
          sectionName: sections.get(sectionId)!.name,
          ...e,
          recommendation: text.get(itemId) ?? null,
        };
      })
      // Item number, sub number, section name (text by code point, as the database's C collation).
      .sort((a, b) => a.itemNumber - b.itemNumber || cmp(a.itemSubNumber, b.itemSubNumber) || cmp(a.sectionName, b.sectionName));
    const items = new Map<
      number,
      { itemId: number; itemNumber: number; itemSubNumber: string; itemTitle: string; recommendation: string | null; sections: unknown[] }
    >();
    for (const { itemId, itemNumber, itemSubNumber, itemTitle, recommendation, ...section } of rows) {
      const item = items.get(itemId) ?? { itemId, itemNumber, itemSubNumber, itemTitle, recommendation, sections: [] };
      item.sections.push(section);
      items.set(itemId, item);
    }
    return [...items.values()];
  }

  /** The reviewer's recommendation (提言) on an item with an accepted entry in the cycle; written again, it replaces the last. */
  async recommend(cycleId: number, itemId: number, text: string | undefined, actor: Actor) {
    await this.assertAssigned(cycleId, actor);
    const body = checkedText('text', text, '提言を入力してください');
    return this.dataSource.transaction(async (em) => {
      if (!(await this.entryReads.hasAccepted(cycleId, itemId, em))) throw DomainError.notFound('承認済みの項目', itemId);
      const [before] = await em.query(`SELECT text FROM recommendations WHERE cycle_id = $1 AND item_id = $2 FOR UPDATE`, [cycleId, itemId]);
      const [saved] = await em.query(
        `INSERT INTO recommendations (cycle_id, item_id, text, written_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (cycle_id, item_id) DO UPDATE SET text = EXCLUDED.text, written_by = EXCLUDED.written_by, written_at = now()
         RETURNING id, cycle_id AS "cycleId", item_id AS "itemId", text, written_at AS "writtenAt"`,
        [cycleId, itemId, body, actor.id],
      );
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'recommendation.write',
        subjectType: 'recommendation',
        subjectId: saved.id,
        before: before ? { text: before.text } : undefined,
        after: { cycleId, itemId, text: body },
      });
      return saved;
    });
  }

  /**
   * For the entry page: the recommendation of the previous cycle on this item and this entry's
   * answer to it, whether the answer is required before submitting and whether the caller may edit it.
   */
  async forEntry(entryId: number, actor: Actor) {
    const { entry, scope } = await this.entries.getForActor(entryId, actor);
    // The cycle and the previous entry's cycle from their owners; the 提言 and its answer from here.
    const previous = entry.previousEntryId ? (await this.entryReads.summariesOf([entry.previousEntryId])).get(entry.previousEntryId) : undefined;
    const cycles = await this.cycles.approvalOptionsOf([entry.cycleId, ...(previous ? [previous.cycleId] : [])]);
    const cycle = cycles.get(entry.cycleId)!;
    const [found]: { id: number; text: string; writtenAt: Date; response: string | null; respondedAt: Date | null }[] = previous
      ? await this.dataSource.query(
          `SELECT r.id, r.text, r.written_at AS "writtenAt", rr.text AS response, rr.written_at AS "respondedAt"
             FROM recommendations r LEFT JOIN recommendation_responses rr ON rr.recommendation_id = r.id AND rr.entry_id = $3
            WHERE r.cycle_id = $1 AND r.item_id = $2`,
          [previous.cycleId, entry.itemId, entryId],
        )
      : [];
    const row = {
      ...(found ?? {}),
      cycleLabel: previous ? (cycles.get(previous.cycleId)?.label ?? null) : null,
      options: cycle.options,
      cycleState: cycle.state,
    };
    const options = readApprovalOptions(row.options).externalReview!;
    return {
      entryId,
      recommendation: row.id ? { id: row.id, cycleLabel: row.cycleLabel, text: row.text, writtenAt: row.writtenAt } : null,
      response: row.response ? { text: row.response, writtenAt: row.respondedAt } : null,
      required: options.responseRequired,
      editable: !!row.id && row.cycleState === 'open' && isEditableByAuthor(entry.state as EntryState) && canWriteEntry(actor, scope),
    };
  }

  /** The section's 対応方針 to the previous cycle's recommendation, while its entry can be edited. */
  async respond(entryId: number, text: string | undefined, actor: Actor) {
    const view = await this.forEntry(entryId, actor);
    const { scope } = await this.entries.getForActor(entryId, actor);
    if (!canWriteEntry(actor, scope)) throw DomainError.forbidden(`${RECOMMENDATION_RESPONSE_LABEL}を入力できるのは所管課の職員・課長のみです`);
    const body = checkedText('text', text, `${RECOMMENDATION_RESPONSE_LABEL}を入力してください`);
    if (!view.recommendation) throw DomainError.conflict('前回のサイクルにこの項目への提言はありません', { field: 'recommendation' });
    if (!view.editable) throw DomainError.forbidden(`${RECOMMENDATION_RESPONSE_LABEL}を入力できるのは、編集できる状態のエントリーの所管課の職員・課長のみです`);
    return this.dataSource.transaction(async (em) => {
      const [saved] = await em.query(
        `INSERT INTO recommendation_responses (recommendation_id, entry_id, text, written_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (recommendation_id, entry_id) DO UPDATE SET text = EXCLUDED.text, written_by = EXCLUDED.written_by, written_at = now()
         RETURNING id, text, written_at AS "writtenAt"`,
        [view.recommendation!.id, entryId, body, actor.id],
      );
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'recommendation.respond',
        subjectType: 'entry',
        subjectId: entryId,
        before: view.response ? { text: view.response.text } : undefined,
        after: { recommendationId: view.recommendation!.id, text: body },
      });
      return saved;
    });
  }

  /** A template that requires it: no submission without the 対応方針 to the previous cycle's 提言. */
  @OnEvent(DomainEvent.EntrySubmitting, { suppressErrors: false })
  async onSubmitting(event: EntrySubmittingEvent): Promise<void> {
    // Asked only when the cycle's rules (read with the lock) require an answer: most submissions ask nothing.
    if (!readApprovalOptions(event.options as Parameters<typeof readApprovalOptions>[0]).externalReview?.responseRequired) return;
    const previous = event.entry.previousEntryId
      ? (await this.entryReads.summariesOf([event.entry.previousEntryId], event.em)).get(event.entry.previousEntryId)
      : undefined;
    if (!previous) return;
    const [row] = await event.em.query(
      `SELECT r.id AS "recommendationId", rr.id AS "responseId"
         FROM recommendations r LEFT JOIN recommendation_responses rr ON rr.recommendation_id = r.id AND rr.entry_id = $3
        WHERE r.cycle_id = $1 AND r.item_id = $2`,
      [previous.cycleId, event.entry.itemId, event.entry.id],
    );
    if (row?.recommendationId && !row.responseId) {
      throw DomainError.invalid('externalReviewResponse', `前回の外部評価の提言に対する${RECOMMENDATION_RESPONSE_LABEL}を入力してから提出してください`);
    }
  }

  private async assertAssigned(cycleId: number, actor: Actor): Promise<void> {
    const [row] = await this.dataSource.query(`SELECT 1 FROM external_reviewers WHERE cycle_id = $1 AND user_id = $2`, [cycleId, actor.id]);
    if (!row) throw DomainError.forbidden('このサイクルの外部評価委員に割り当てられていません');
  }

  /** Recommendations and the answers to them, for exports and the matrix: by entry id of `cycleId`. */
  async forCycleEntries(cycleId: number): Promise<Map<number, { received: string | null; previous: string | null; response: string | null }>> {
    const entries = await this.entryReads.itemsAndPreviousCyclesIn(cycleId);
    if (!entries.length) return new Map();
    const rows: { entryId: number; received: string | null; previous: string | null; response: string | null }[] = await this.dataSource.query(
      `SELECT e.id AS "entryId", r.text AS received, pr.text AS previous, rr.text AS response
         FROM unnest($2::int[], $3::int[], $4::int[]) e(id, item_id, previous_cycle_id)
         LEFT JOIN recommendations r ON r.cycle_id = $1 AND r.item_id = e.item_id
         LEFT JOIN recommendations pr ON pr.cycle_id = e.previous_cycle_id AND pr.item_id = e.item_id
         LEFT JOIN recommendation_responses rr ON rr.recommendation_id = pr.id AND rr.entry_id = e.id
        WHERE r.id IS NOT NULL OR pr.id IS NOT NULL`,
      [cycleId, entries.map((e) => e.id), entries.map((e) => e.itemId), entries.map((e) => e.previousCycleId)],
    );
    return new Map(rows.map(({ entryId, ...rest }) => [entryId, rest]));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkedText(field: string, value: string | undefined, message: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) throw DomainError.invalid(field, message);
  if (text.length > MAX_TEXT) throw DomainError.invalid(field, `${MAX_TEXT}文字以内で入力してください`);
  return text;
}
