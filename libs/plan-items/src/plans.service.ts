import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import { normaliseForm, type Actor, type FormField } from '@app/domain';
import { CreatePlanDto, PlanKind, UpdatePlanDto } from './dto/plan.dto';
import { storedValueProblems } from './item-attributes';
import { checkItemFields, invalidFields } from './plan-item-fields';
import { PlanUsage } from './reads/plan-usage';

export interface PlanRow {
  id: number;
  code: string;
  name: string;
  kind: PlanKind;
  /** The item attributes every item of the plan has (FormField, scope 'item'), normalised. */
  itemFields: FormField[];
  version: number;
  createdAt: Date;
  itemCount: number;
}

const PLAN_COLUMNS = `p.id, p.code, p.name, p.kind, p.item_fields AS "itemFields", p.version, p.created_at AS "createdAt",
  (SELECT count(*)::int FROM plan_items i WHERE i.plan_id = p.id) AS "itemCount"`;

/** Stored values listed when a new definition would refuse them (the rest are counted). */
const MAX_LISTED_PROBLEMS = 20;

@Injectable()
export class PlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly usage: PlanUsage,
  ) {}

  async list(): Promise<PlanRow[]> {
    const rows: PlanRow[] = await this.dataSource.query(`SELECT ${PLAN_COLUMNS} FROM plans p ORDER BY p.id`);
    return rows.map(withFields);
  }

  async get(id: number): Promise<PlanRow> {
    const [row] = await this.dataSource.query(`SELECT ${PLAN_COLUMNS} FROM plans p WHERE p.id = $1`, [id]);
    if (!row) throw DomainError.notFound('計画', id);
    return withFields(row);
  }

  async create(dto: CreatePlanDto, actor: Actor): Promise<PlanRow> {
    const itemFields = checkItemFields(dto.itemFields ?? []);
    const id = await this.dataSource.transaction(async (em) => {
      const [exists] = await em.query(`SELECT 1 FROM plans WHERE code = $1`, [dto.code]);
      if (exists) throw new DomainError('conflict', `計画コード ${dto.code} は既に使われています`, { field: 'code' });
      const [row] = await em.query(`INSERT INTO plans (code, name, kind, item_fields) VALUES ($1, $2, $3, $4::jsonb) RETURNING id`, [
        dto.code,
        dto.name,
        dto.kind,
        JSON.stringify(itemFields),
      ]);
      await this.audit.record(em, { actorUserId: actor.id, action: 'plan.create', subjectType: 'plan', subjectId: row.id, after: { ...dto, itemFields } });
      return row.id as number;
    });
    return this.get(id);
  }

  /**
   * Name, kind and item attributes. A new attribute definition is refused (422) while an item
   * holds a value it would refuse (a removed option, fewer decimals, a per-year switch): the
   * items are fixed first, so every stored value of a defined key is valid for its definition.
   * Removing an attribute keeps its values on the items (see ItemView.retiredAttributes).
   */
  async update(id: number, dto: UpdatePlanDto, actor: Actor): Promise<PlanRow> {
    // @IsOptional lets null through: name the field rather than fail on it.
    if (dto.itemFields === null) throw DomainError.invalid('itemFields', '項目の属性は配列で指定してください');
    const itemFields = dto.itemFields === undefined ? undefined : checkItemFields(dto.itemFields);
    await this.dataSource.transaction(async (em) => {
      const [before] = await em.query(`SELECT id, code, name, kind, item_fields AS "itemFields", version FROM plans WHERE id = $1 FOR UPDATE`, [id]);
      if (!before) throw DomainError.notFound('計画', id);
      if (dto.version !== undefined && dto.version !== before.version) {
        throw DomainError.conflict('この計画は他のユーザーによって更新されています。再読み込みしてください', {
          field: 'version',
          currentVersion: before.version,
        });
      }
      if (itemFields) {
        await this.checkRuleReferences(em, id, normaliseForm(before.itemFields), itemFields);
        await this.checkStoredValues(em, id, itemFields);
      }
      // An UPDATE answers [rows, count] through TypeORM.
      const [[after]] = await em.query(
        `UPDATE plans SET name = COALESCE($2, name), kind = COALESCE($3, kind), item_fields = COALESCE($4::jsonb, item_fields),
                version = version + 1
          WHERE id = $1 RETURNING id, code, name, kind, item_fields AS "itemFields", version`,
        [id, dto.name ?? null, dto.kind ?? null, itemFields ? JSON.stringify(itemFields) : null],
      );
      await this.audit.record(em, { actorUserId: actor.id, action: 'plan.update', subjectType: 'plan', subjectId: id, before, after });
    });
    return this.get(id);
  }

  /** Only a plan without items (and so without cycles over them) can be deleted. */
  async remove(id: number, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const [before] = await em.query(`SELECT id, code, name, kind, item_fields AS "itemFields" FROM plans WHERE id = $1 FOR UPDATE`, [id]);
      if (!before) throw DomainError.notFound('計画', id);
      const [used] = await em.query(`SELECT 1 FROM plan_items WHERE plan_id = $1 LIMIT 1`, [id]);
      if (used) throw DomainError.conflict('項目がある計画は削除できません');
      if (await this.usage.planHasTemplates(em, id)) throw DomainError.conflict('サイクルのテンプレートが参照している計画は削除できません');
      await em.query(`DELETE FROM plans WHERE id = $1`, [id]);
      await this.audit.record(em, { actorUserId: actor.id, action: 'plan.delete', subjectType: 'plan', subjectId: id, before });
    });
  }

  async assertExists(id: number): Promise<void> {
    await this.get(id);
  }

  /**
   * A template's rule (or an open cycle's copy of it) may read an attribute (`item.budget`);
   * removing that attribute would change what the rule means without anyone noticing, so it is
   * refused (409) naming the template until the rule no longer uses it.
   */
  private async checkRuleReferences(em: EntityManager, planId: number, before: FormField[], after: FormField[]): Promise<void> {
    const kept = new Set(after.map((f) => f.key));
    const removed = before.map((f) => f.key).filter((k) => !kept.has(k));
    if (!removed.length) return;
    const patterns = removed.map((k) => `%"item.${k.replace(/[\\%_]/g, (c) => `\\${c}`)}"%`);
    const users = await this.usage.formsMatching(em, planId, patterns);
    if (!users.length) return;
    const keys = removed.filter((k) => users.some((u) => u.text.includes(`"item.${k}"`)));
    throw DomainError.conflict(
      `属性「${keys.join('」「')}」は${users.map((u) => u.name).join('、')}の条件で使われているため削除できません。先に条件を変更してください`,
      { field: 'itemFields' },
    );
  }

  private async checkStoredValues(em: EntityManager, planId: number, fields: FormField[]): Promise<void> {
    if (!fields.length) return;
    const items: { number: number; sub_number: string; attributes: Record<string, unknown> }[] = await em.query(
      `SELECT number, sub_number, attributes FROM plan_items WHERE plan_id = $1 AND attributes <> '{}'::jsonb ORDER BY number, sub_number`,
      [planId],
    );
    const problems = items.flatMap((i) =>
      storedValueProblems(fields, i.attributes).map((p) => `項目 ${i.number}${i.sub_number ? `-${i.sub_number}` : ''}: ${p}`),
    );
    if (!problems.length) return;
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    if (problems.length > listed.length) listed.push(`ほか${problems.length - listed.length}件`);
    throw invalidFields([`保存されている値が新しい属性の定義に合いません。先に項目の値を直してください`, ...listed]);
  }
}

function withFields(row: PlanRow): PlanRow {
  return { ...row, itemFields: normaliseForm(row.itemFields) };
}
