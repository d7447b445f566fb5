import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import { CycleReads, TemplatesService } from '@app/cycles';
import { DepartmentDirectory, SectionDirectory } from '@app/org';
import { Actor, canReadScope, canWriteScope, FieldError, FormField, normaliseFieldValue, ScopePlace, VALUE_SCOPE_LABELS, ValueScope } from '@app/domain';
import { SaveScopeValuesDto } from './scope-values.dto';

export interface ScopeValuesView {
  cycleId: number;
  scope: ValueScope;
  scopeId: number;
  name: string;
  /** The department head's name, printed with 基本方針 and 総括. */
  headName: string | null;
  fields: FormField[];
  values: Record<string, unknown>;
  version: number;
  editable: boolean;
  updatedAt: Date | null;
}

interface Located extends ScopePlace {
  name: string;
  headName: string | null;
}

/**
 * Owns scope_values: the fields a cycle's form defines per department or per section, entered
 * once and shown with every entry there. Written while the cycle is open, versioned, audited.
 */
@Injectable()
export class ScopeValuesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly templates: TemplatesService,
    private readonly audit: AuditService,
    private readonly departments: DepartmentDirectory,
    private readonly sections: SectionDirectory,
    private readonly cycles: CycleReads,
  ) {}

  async get(cycleId: number, scope: ValueScope, scopeId: number, actor: Actor): Promise<ScopeValuesView> {
    const { fields, state } = await this.form(this.dataSource.manager, cycleId, scope);
    return this.view(cycleId, state, scope, scopeId, fields, actor);
  }

  /**
   * The department's and the section's values beside one entry, from the form the caller has
   * already read (the entry detail), without reading the cycle and its template again. The
   * caller has checked the entry may be read: what is shown beside it is read with it (a 代決
   * delegate from another department sees the department's figures the entry refers to).
   */
  async forEntry(
    cycle: { id: number; state: string; fields: readonly FormField[] },
    place: { departmentId: number; sectionId: number },
    actor: Actor,
  ): Promise<{ department: ScopeValuesView; section: ScopeValuesView }> {
    const of = (scope: ValueScope) => cycle.fields.filter((f) => f.scope === scope);
    return {
      department: await this.view(cycle.id, cycle.state, 'department', place.departmentId, of('department'), actor, true),
      section: await this.view(cycle.id, cycle.state, 'section', place.sectionId, of('section'), actor, true),
    };
  }

  private async view(
    cycleId: number,
    state: string,
    scope: ValueScope,
    scopeId: number,
    fields: FormField[],
    actor: Actor,
    entryReadable = false,
  ): Promise<ScopeValuesView> {
    const place = await this.locate(this.dataSource.manager, scope, scopeId);
    if (!entryReadable && !canReadScope(actor, place)) throw DomainError.forbidden(`この${VALUE_SCOPE_LABELS[scope]}の項目を閲覧する権限がありません`);
    const [row] = await this.dataSource.query(`SELECT "values", version, updated_at FROM scope_values WHERE cycle_id = $1 AND scope = $2 AND scope_id = $3`, [
      cycleId,
      scope,
      scopeId,
    ]);
    return {
      cycleId,
      scope,
      scopeId,
      name: place.name,
      headName: place.headName,
      fields,
      values: row?.values ?? {},
      version: row?.version ?? 0,
      editable: state === 'open' && canWriteScope(actor, place),
      updatedAt: row?.updated_at ?? null,
    };
  }

  /** Every department's and section's values of a cycle, for exports and printed reports. */
  async listForCycle(cycleId: number): Promise<{ scope: ValueScope; scopeId: number; values: Record<string, unknown> }[]> {
    return this.dataSource.query(`SELECT scope, scope_id AS "scopeId", "values" FROM scope_values WHERE cycle_id = $1 ORDER BY scope, scope_id`, [cycleId]);
  }

  async save(cycleId: number, scope: ValueScope, scopeId: number, dto: SaveScopeValuesDto, actor: Actor): Promise<ScopeValuesView> {
    await this.dataSource.transaction(async (em) => {
      const { fields, state } = await this.form(em, cycleId, scope, true);
      if (state !== 'open') throw DomainError.conflict('このサイクルは受付中ではないため変更できません', { cycleState: state });
      const place = await this.locate(em, scope, scopeId);
      if (!canWriteScope(actor, place)) throw DomainError.forbidden(`この${VALUE_SCOPE_LABELS[scope]}の項目を編集する権限がありません`);
      const [current] = await em.query(`SELECT id, "values", version FROM scope_values WHERE cycle_id = $1 AND scope = $2 AND scope_id = $3 FOR UPDATE`, [
        cycleId,
        scope,
        scopeId,
      ]);
      const version = current?.version ?? 0;
      if (dto.version !== undefined && dto.version !== version) {
        throw DomainError.conflict('この項目は他のユーザーによって更新されています。最新の内容を確認してください', {
          field: 'version',
          currentVersion: version,
          current: current?.values ?? {},
        });
      }
      const values = { ...(current?.values ?? {}), ...this.checked(scope, fields, dto.values) };
      const [saved] = current
        ? await em.query(
            `UPDATE scope_values SET "values" = $2, version = version + 1, updated_by = $3, updated_at = now() WHERE id = $1 RETURNING id, version`,
            [current.id, JSON.stringify(values), actor.id],
          )
        : await em.query(`INSERT INTO scope_values (cycle_id, scope, scope_id, "values", updated_by) VALUES ($1, $2, $3, $4, $5) RETURNING id, version`, [
            cycleId,
            scope,
            scopeId,
            JSON.stringify(values),
            actor.id,
          ]);
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'scope_values.save',
        subjectType: 'scope_values',
        subjectId: saved.id,
        before: current ? { version, values: current.values } : null,
        after: { cycleId, scope, scopeId, version: saved.version, values },
      });
    });
    return this.get(cycleId, scope, scopeId, actor);
  }

  private checked(scope: ValueScope, fields: FormField[], raw: Record<string, unknown>): Record<string, unknown> {
    const errors: FieldError[] = [];
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      const field = fields.find((f) => f.key === key);
      if (!field) {
        errors.push({ field: key, message: `項目「${key}」はこの様式の${VALUE_SCOPE_LABELS[scope]}の項目にありません` });
        continue;
      }
      const result = normaliseFieldValue(field, value);
      if ('message' in result) errors.push({ field: key, message: result.message });
      else out[key] = result.value;
    }
    if (errors.length) throw new DomainError('invalid', errors.map((e) => e.message).join(' / '), { field: errors[0].field, errors });
    return out;
  }

  /** The scope's fields as the cycle runs them (the template's while the cycle is a draft). */
  private async form(em: EntityManager, cycleId: number, scope: ValueScope, lock = false) {
    const cycle = await this.cycles.stateAndRulesOf(cycleId, em, lock);
    if (!cycle) throw DomainError.notFound('サイクル', cycleId);
    const template = await this.templates.forCycle(cycle);
    return { fields: template.fields.filter((f) => f.scope === scope), state: cycle.state as string };
  }

  private async locate(em: EntityManager, scope: ValueScope, scopeId: number): Promise<Located> {
    const row = scope === 'department' ? await this.departments.withHeadName(scopeId, em) : await this.sections.withDepartmentHeadName(scopeId, em);
    if (!row) throw DomainError.notFound(VALUE_SCOPE_LABELS[scope], scopeId);
    return { scope, scopeId, departmentId: row.departmentId, name: row.name, headName: row.headName };
  }
}
