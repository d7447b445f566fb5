import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { SectionDirectory, UserDirectory } from '@app/org';
import { ItemEntryUsage } from './reads/item-entry-usage';
import { DomainError } from '@app/common';
import { namesSelfAsEvaluator, normaliseForm, SELF_EVALUATOR_MESSAGE, type Actor, type FormField } from '@app/domain';
import { CreateItemDto, ItemSectionDto, ListItemsQuery, UpdateItemDto } from './dto/item.dto';
import { canReadItem, seesAllItems } from './item-access';
import { applyAttributeChanges, splitAttributes } from './item-attributes';
import { invalid, ItemKpiView, writeKpis } from './item-kpis';

export type { ItemKpiView } from './item-kpis';

export interface ItemSectionView {
  sectionId: number;
  sectionCode: string;
  sectionName: string;
  content: string | null;
  targetDateText: string | null;
  sort: number;
}

export interface ItemView extends ItemFields {
  id: number;
  planId: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  sections: ItemSectionView[];
  kpis: ItemKpiView[];
  /** The plan's attributes' values by key, in definition order (per-year ones as {"2024": value}). */
  attributes: Record<string, unknown>;
  /** Values kept for keys the plan no longer defines (read-only; defining the key again brings them back). */
  retiredAttributes: Record<string, unknown>;
}

type ItemRow = Omit<ItemView, 'sections' | 'kpis' | 'attributes' | 'retiredAttributes'> & { storedAttributes: Record<string, unknown> };

const ITEM_COLUMNS = `i.id, i.plan_id AS "planId", i.number, i.sub_number AS "subNumber", i.chapter, i.category, i.title,
  i.content, i.target_date_text AS "targetDateText", i.evaluator_user_id AS "evaluatorUserId",
  i.budget_thousand_yen::float8 AS "budgetThousandYen", i.attributes AS "storedAttributes", i.version, i.created_at AS "createdAt", i.updated_at AS "updatedAt"`;

/** Item fields as stored, in a form both the CRUD api and the importer write. */
export interface ItemFields {
  number: number;
  subNumber: string;
  chapter: string | null;
  category: string | null;
  title: string;
  content: string | null;
  targetDateText: string | null;
  evaluatorUserId: number | null;
  budgetThousandYen: number | null;
}

@Injectable()
export class ItemsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly usage: ItemEntryUsage,
    private readonly sectionDirectory: SectionDirectory,
    private readonly users: UserDirectory,
  ) {}

  async list(planId: number, query: ListItemsQuery, actor: Actor): Promise<ItemView[]> {
    const [plan] = await this.dataSource.query(`SELECT id FROM plans WHERE id = $1`, [planId]);
    if (!plan) throw DomainError.notFound('計画', planId);
    const ownSection = seesAllItems(actor) ? null : (actor.sectionId ?? -1);
    const rows: ItemRow[] = await this.dataSource.query(
      `SELECT ${ITEM_COLUMNS} FROM plan_items i
        WHERE i.plan_id = $1
          AND ($2::text IS NULL OR i.chapter = $2)
          AND ($3::int IS NULL OR EXISTS (SELECT 1 FROM plan_item_sections x WHERE x.item_id = i.id AND x.section_id = $3))
          AND ($4::text IS NULL OR i.title ILIKE '%' || $4 || '%')
          AND ($5::int IS NULL OR EXISTS (SELECT 1 FROM plan_item_sections y WHERE y.item_id = i.id AND y.section_id = $5))
        ORDER BY i.number, i.sub_number, i.id`,
      [planId, query.chapter ?? null, query.sectionId ?? null, query.q ? escapeLike(query.q) : null, ownSection],
    );
    return this.withChildren(this.dataSource.manager, rows);
  }

  async get(id: number, actor: Actor): Promise<ItemView> {
    const item = await this.load(this.dataSource.manager, id);
    if (
      !canReadItem(
        actor,
        item.sections.map((s) => s.sectionId),
      )
    ) {
      throw DomainError.forbidden('この項目を閲覧する権限がありません(所管課の項目ではありません)');
    }
    return item;
  }

  async create(planId: number, dto: CreateItemDto, actor: Actor): Promise<ItemView> {
    const id = await this.dataSource.transaction(async (em) => {
      const [plan] = await em.query(`SELECT id FROM plans WHERE id = $1`, [planId]);
      if (!plan) throw DomainError.notFound('計画', planId);
      await this.checkReferences(em, dto);
      if (namesSelfAsEvaluator(actor.id, dto.evaluatorUserId, null)) throw DomainError.invalid('evaluatorUserId', SELF_EVALUATOR_MESSAGE);
      const attributes = applyAttributeChanges(await this.itemFields(em, planId), {}, dto.attributes);
      if (attributes.errors.length) throw invalid(attributes.errors);
      const fields = toFields(dto);
      const [dup] = await em.query(`SELECT id FROM plan_items WHERE plan_id = $1 AND number = $2 AND sub_number = $3`, [
        planId,
        fields.number,
        fields.subNumber,
      ]);
      if (dup) {
        throw new DomainError('conflict', `番号 ${fields.number}${fields.subNumber} の項目は既にあります`, { field: 'number', existingId: dup.id });
      }
      const itemId = await this.insertItem(em, planId, fields);
      await this.writeAttributes(em, itemId, attributes.attributes);
      await this.writeSections(em, itemId, dto.sections);
      await writeKpis(em, itemId, dto.kpis ?? [], { replace: true, usage: this.usage });
      const after = await this.load(em, itemId);
      await this.audit.record(em, { actorUserId: actor.id, action: 'item.create', subjectType: 'plan_item', subjectId: itemId, after });
      return itemId;
    });
    return this.load(this.dataSource.manager, id);
  }

  async update(id: number, dto: UpdateItemDto, actor: Actor): Promise<ItemView> {
    await this.dataSource.transaction(async (em) => {
      const [locked] = await em.query(`SELECT id, plan_id, version, attributes FROM plan_items WHERE id = $1 FOR UPDATE`, [id]);
      if (!locked) throw DomainError.notFound('項目', id);
      if (locked.version !== dto.version) {
        throw DomainError.conflict('この項目は他のユーザーによって更新されています。再読み込みしてください', {
          field: 'version',
          currentVersion: locked.version,
        });
      }
      await this.checkReferences(em, dto);
      const before = await this.load(em, id);
      if (namesSelfAsEvaluator(actor.id, dto.evaluatorUserId, before.evaluatorUserId)) throw DomainError.invalid('evaluatorUserId', SELF_EVALUATOR_MESSAGE);
      const fields = toFields({ ...before, ...definedOnly(dto) } as CreateItemDto);
      if (!fields.title) throw DomainError.invalid('title', '名称は必須です');
      if (!fields.number) throw DomainError.invalid('number', '番号は必須です');
      if (fields.number !== before.number || fields.subNumber !== before.subNumber) {
        const [dup] = await em.query(`SELECT id FROM plan_items WHERE plan_id = $1 AND number = $2 AND sub_number = $3 AND id <> $4`, [
          locked.plan_id,
          fields.number,
          fields.subNumber,
          id,
        ]);
        if (dup) throw new DomainError('conflict', `番号 ${fields.number}${fields.subNumber} の項目は既にあります`, { field: 'number' });
      }
      const attributes = applyAttributeChanges(await this.itemFields(em, locked.plan_id), locked.attributes, dto.attributes);
      if (attributes.errors.length) throw invalid(attributes.errors);
      await this.updateItem(em, id, fields);
      if (dto.attributes !== undefined) await this.writeAttributes(em, id, attributes.attributes);
      if (dto.sections) await this.writeSections(em, id, dto.sections);
      if (dto.kpis) await writeKpis(em, id, dto.kpis, { replace: true, usage: this.usage });
      const after = await this.load(em, id);
      await this.audit.record(em, { actorUserId: actor.id, action: 'item.update', subjectType: 'plan_item', subjectId: id, before, after });
    });
    return this.load(this.dataSource.manager, id);
  }

  async remove(id: number, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const [locked] = await em.query(`SELECT id FROM plan_items WHERE id = $1 FOR UPDATE`, [id]);
      if (!locked) throw DomainError.notFound('項目', id);
      if (await this.usage.itemHasEntries(em, id)) throw DomainError.conflict('エントリーがある項目は削除できません');
      const before = await this.load(em, id);
      await em.query(`DELETE FROM plan_items WHERE id = $1`, [id]);
      await this.audit.record(em, { actorUserId: actor.id, action: 'item.delete', subjectType: 'plan_item', subjectId: id, before });
    });
  }

  // ---- building blocks shared with the importer (they take the caller's transaction) ----

  /**
   * A 人事異動 hands the items each moved evaluator was named for to their successor in the post
   * (null: the department head evaluates them again). One statement, so two people swapping
   * posts swap their items. Audited per item, in the caller's transaction.
   */
  async handOverEvaluators(
    em: EntityManager,
    handovers: { fromUserId: number; toUserId: number | null }[],
    actorUserId: number | null,
    comment: string,
  ): Promise<number> {
    if (!handovers.length) return 0;
    const [rows]: [{ id: number; version: number; from: number; to: number | null }[]] = await em.query(
      `UPDATE plan_items i SET evaluator_user_id = m.t, version = i.version + 1, updated_at = now()
         FROM unnest($1::int[], $2::int[]) m(f, t)
        WHERE i.evaluator_user_id = m.f
       RETURNING i.id, i.version, m.f AS "from", m.t AS "to"`,
      [handovers.map((h) => h.fromUserId), handovers.map((h) => h.toUserId)],
    );
    await this.audit.recordMany(
      em,
      rows.map((r) => ({
        actorUserId,
        action: 'item.evaluator_transfer',
        subjectType: 'plan_item',
        subjectId: r.id,
        before: { evaluatorUserId: r.from },
        after: { evaluatorUserId: r.to, version: r.version },
        comment,
      })),
    );
    return rows.length;
  }

  async insertItem(em: EntityManager, planId: number, f: ItemFields): Promise<number> {
    const [row] = await em.query(
      `INSERT INTO plan_items (plan_id, number, sub_number, chapter, category, title, content, target_date_text,
                               evaluator_user_id, budget_thousand_yen)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [planId, f.number, f.subNumber, f.chapter, f.category, f.title, f.content, f.targetDateText, f.evaluatorUserId, f.budgetThousandYen],
    );
    return row.id;
  }

  async updateItem(em: EntityManager, id: number, f: ItemFields): Promise<void> {
    await em.query(
      `UPDATE plan_items SET number = $2, sub_number = $3, chapter = $4, category = $5, title = $6, content = $7,
              target_date_text = $8, evaluator_user_id = $9, budget_thousand_yen = $10, version = version + 1, updated_at = now()
        WHERE id = $1`,
      [id, f.number, f.subNumber, f.chapter, f.category, f.title, f.content, f.targetDateText, f.evaluatorUserId, f.budgetThousandYen],
    );
  }

  /** Makes the item's responsible sections exactly these, in this order. */
  async writeSections(em: EntityManager, itemId: number, sections: ItemSectionDto[]): Promise<void> {
    await em.query(`DELETE FROM plan_item_sections WHERE item_id = $1 AND NOT (section_id = ANY($2::int[]))`, [itemId, sections.map((s) => s.sectionId)]);
    for (const [sort, s] of sections.entries()) {
      await em.query(
        `INSERT INTO plan_item_sections (item_id, section_id, content, target_date_text, sort) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (item_id, section_id) DO UPDATE SET content = EXCLUDED.content, target_date_text = EXCLUDED.target_date_text, sort = EXCLUDED.sort`,
        [itemId, s.sectionId, s.content ?? null, s.targetDateText ?? null, sort],
      );
    }
  }

  /** The item's attributes as stored (defined and retired keys alike). */
  async writeAttributes(em: EntityManager, itemId: number, attributes: Record<string, unknown>): Promise<void> {
    await em.query(`UPDATE plan_items SET attributes = $2::jsonb WHERE id = $1`, [itemId, JSON.stringify(attributes)]);
  }

  /** The plan's item attribute definitions, normalised. */
  async itemFields(em: EntityManager, planId: number): Promise<FormField[]> {
    const [plan]: { item_fields: unknown[] }[] = await em.query(`SELECT item_fields FROM plans WHERE id = $1`, [planId]);
    return normaliseForm(plan?.item_fields ?? []);
  }

  async load(em: EntityManager, id: number): Promise<ItemView> {
    const rows = await em.query(`SELECT ${ITEM_COLUMNS} FROM plan_items i WHERE i.id = $1`, [id]);
    if (!rows.length) throw DomainError.notFound('項目', id);
    return (await this.withChildren(em, rows))[0];
  }

  private async withChildren(em: EntityManager, rows: ItemRow[]): Promise<ItemView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const plans: { id: number; item_fields: unknown[] }[] = await em.query(`SELECT id, item_fields FROM plans WHERE id = ANY($1::int[])`, [
      [...new Set(rows.map((r) => r.planId))],
    ]);
    const fieldsOf = new Map(plans.map((p) => [p.id, normaliseForm(p.item_fields)]));
    const own: Omit<ItemSectionView & { itemId: number }, 'sectionCode' | 'sectionName'>[] = await em.query(
      `SELECT item_id AS "itemId", section_id AS "sectionId", content, target_date_text AS "targetDateText", sort
         FROM plan_item_sections WHERE item_id = ANY($1::int[])`,
      [ids],
    );
    const org = await this.sectionDirectory.rows(
      own.map((s) => s.sectionId),
      em,
    );
    const sections: (ItemSectionView & { itemId: number })[] = own
      .filter((s) => org.has(s.sectionId))
      .map((s) => ({
        itemId: s.itemId,
        sectionId: s.sectionId,
        sectionCode: org.get(s.sectionId)!.code,
        sectionName: org.get(s.sectionId)!.name,
        content: s.content,
        targetDateText: s.targetDateText,
        sort: s.sort,
      }))
      .sort((a, b) => a.sort - b.sort || (a.sectionCode < b.sectionCode ? -1 : a.sectionCode > b.sectionCode ? 1 : 0));
    const kpis: (ItemKpiView & { itemId: number })[] = await em.query(
      `SELECT item_id AS "itemId", id, name, unit, kind, direction, targets, sort FROM plan_item_kpis WHERE item_id = ANY($1::int[]) ORDER BY sort, id`,
      [ids],
    );
    return rows.map(({ storedAttributes, ...r }) => ({
      ...r,
      ...splitAttributes(fieldsOf.get(r.planId) ?? [], storedAttributes),
      sections: sections.filter((s) => s.itemId === r.id).map(({ itemId: _i, ...s }) => s),
      kpis: kpis.filter((k) => k.itemId === r.id).map(({ itemId: _i, ...k }) => k),
    }));
  }

  /** Unknown or retired sections and unknown evaluators are 422 naming the field. */
  private async checkReferences(em: EntityManager, dto: Partial<CreateItemDto>): Promise<void> {
    if (dto.sections) {
      const ids = dto.sections.map((s) => s.sectionId);
      const found = [...(await this.sectionDirectory.rows(ids, em)).values()];
      const seen = new Set<number>();
      for (const [i, s] of dto.sections.entries()) {
        const row = found.find((f) => f.id === s.sectionId);
        if (!row) throw DomainError.invalid(`sections[${i}].sectionId`, `課 ${s.sectionId} が見つかりません`);
        if (!row.active) throw DomainError.invalid(`sections[${i}].sectionId`, `課 ${s.sectionId} は統合・廃止されています`);
        if (seen.has(s.sectionId)) throw DomainError.invalid(`sections[${i}].sectionId`, `課 ${s.sectionId} が重複しています`);
        seen.add(s.sectionId);
      }
    }
    if (dto.kpis) {
      const names = new Set<string>();
      for (const [i, k] of dto.kpis.entries()) {
        if (names.has(k.name)) throw DomainError.invalid(`kpis[${i}].name`, `指標「${k.name}」が重複しています`);
        names.add(k.name);
      }
    }
    if (dto.evaluatorUserId) {
      if (!(await this.users.activeIds([dto.evaluatorUserId], em)).includes(dto.evaluatorUserId))
        throw DomainError.invalid('evaluatorUserId', `ユーザー ${dto.evaluatorUserId} が見つかりません`);
    }
  }
}

function toFields(dto: CreateItemDto): ItemFields {
  return {
    number: dto.number,
    subNumber: (dto.subNumber ?? '').trim(),
    chapter: dto.chapter ?? null,
    category: dto.category ?? null,
    title: (dto.title ?? '').trim(),
    content: dto.content ?? null,
    targetDateText: dto.targetDateText ?? null,
    evaluatorUserId: dto.evaluatorUserId ?? null,
    budgetThousandYen: dto.budgetThousandYen ?? null,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}
