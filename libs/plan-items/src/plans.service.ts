import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import type { Actor } from '@app/domain';
import { CreatePlanDto, PlanKind, UpdatePlanDto } from './dto/plan.dto';

export interface PlanRow {
  id: number;
  code: string;
  name: string;
  kind: PlanKind;
  createdAt: Date;
  itemCount: number;
}

const PLAN_COLUMNS = `p.id, p.code, p.name, p.kind, p.created_at AS "createdAt",
  (SELECT count(*)::int FROM plan_items i WHERE i.plan_id = p.id) AS "itemCount"`;

@Injectable()
export class PlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<PlanRow[]> {
    return this.dataSource.query(`SELECT ${PLAN_COLUMNS} FROM plans p ORDER BY p.id`);
  }

  async get(id: number): Promise<PlanRow> {
    const [row] = await this.dataSource.query(`SELECT ${PLAN_COLUMNS} FROM plans p WHERE p.id = $1`, [id]);
    if (!row) throw DomainError.notFound('計画', id);
    return row;
  }

  async create(dto: CreatePlanDto, actor: Actor): Promise<PlanRow> {
    const id = await this.dataSource.transaction(async (em) => {
      const [exists] = await em.query(`SELECT 1 FROM plans WHERE code = $1`, [dto.code]);
      if (exists) throw new DomainError('conflict', `計画コード ${dto.code} は既に使われています`, { field: 'code' });
      const [row] = await em.query(`INSERT INTO plans (code, name, kind) VALUES ($1, $2, $3) RETURNING id`, [dto.code, dto.name, dto.kind]);
      await this.audit.record(em, { actorUserId: actor.id, action: 'plan.create', subjectType: 'plan', subjectId: row.id, after: dto });
      return row.id as number;
    });
    return this.get(id);
  }

  async update(id: number, dto: UpdatePlanDto, actor: Actor): Promise<PlanRow> {
    await this.dataSource.transaction(async (em) => {
      const [before] = await em.query(`SELECT id, code, name, kind FROM plans WHERE id = $1 FOR UPDATE`, [id]);
      if (!before) throw DomainError.notFound('計画', id);
      const [after] = await em.query(
        `UPDATE plans SET name = COALESCE($2, name), kind = COALESCE($3, kind) WHERE id = $1 RETURNING id, code, name, kind`,
        [id, dto.name ?? null, dto.kind ?? null],
      );
      await this.audit.record(em, { actorUserId: actor.id, action: 'plan.update', subjectType: 'plan', subjectId: id, before, after });
    });
    return this.get(id);
  }

  /** Only a plan without items (and so without cycles over them) can be deleted. */
  async remove(id: number, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const [before] = await em.query(`SELECT id, code, name, kind FROM plans WHERE id = $1 FOR UPDATE`, [id]);
      if (!before) throw DomainError.notFound('計画', id);
      const [used] = await em.query(`SELECT 1 FROM plan_items WHERE plan_id = $1 LIMIT 1`, [id]);
      if (used) throw DomainError.conflict('項目がある計画は削除できません');
      const [cycle] = await em.query(`SELECT 1 FROM cycle_templates WHERE plan_id = $1 LIMIT 1`, [id]);
      if (cycle) throw DomainError.conflict('サイクルのテンプレートが参照している計画は削除できません');
      await em.query(`DELETE FROM plans WHERE id = $1`, [id]);
      await this.audit.record(em, { actorUserId: actor.id, action: 'plan.delete', subjectType: 'plan', subjectId: id, before });
    });
  }

  async assertExists(id: number): Promise<void> {
    await this.get(id);
  }
}
