import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import { CycleTemplate, RatingScalesService, TemplatesService } from '@app/cycles';
import { TenantsService } from '@app/database';
import { Actor, DEFAULT_FORM, FormField, FormLayout, normaliseForm, PeriodType, RatingScale, validateFormDefinition } from '@app/domain';
import type { CreateTemplateDto } from '@app/cycles/dto/template.dto';
import { AdoptSharedTemplateDto, PublishSharedTemplateDto } from './dto/shared-template.dto';

/** A template definition a prefecture distributes (shared_templates). */
export interface SharedTemplate {
  id: number;
  code: string;
  name: string;
  periodType: PeriodType;
  spanYears: number | null;
  firstFiscalYear: number | null;
  scale: RatingScale;
  fields: FormField[];
  layout: FormLayout;
  version: number;
  publishedAt: Date;
  /** For a municipality: whether it has a template of this code (adopted, or its own of that code). */
  adopted: boolean;
  /** The current tenant distributes it (a prefecture's own definition: not to adopt). */
  own: boolean;
}

const COLUMNS = `id, code, name, period_type AS "periodType", span_years AS "spanYears", first_fiscal_year AS "firstFiscalYear",
  scale, fields, layout, version, published_at AS "publishedAt", tenant_id = app_tenant() AS own`;

/**
 * Owns shared_templates (migration 1732000011800): a prefecture's planning division publishes a
 * template definition (code, period, scale, form) for its municipalities; each municipality's
 * planning division lists its prefecture's (policy municipality_read) and adopts one into its
 * own tenant: a cycle template of the same code, scale and form, on a plan of its own and with
 * its own approval route (TemplatesService creates it, as any template). The copy is the
 * municipality's from then on; a later version of the definition changes no copy.
 */
@Injectable()
export class SharedTemplatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
    private readonly templates: TemplatesService,
    private readonly scales: RatingScalesService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A prefecture's definitions (its own), or a municipality's view of its prefecture's, each
   * marked when the municipality already has a template of that code.
   */
  async list(): Promise<SharedTemplate[]> {
    const rows: Omit<SharedTemplate, 'adopted'>[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM shared_templates ORDER BY code`);
    const own = new Set((await this.templates.list()).map((t) => t.code));
    return rows.map((r) => ({ ...r, fields: normaliseForm(r.fields), adopted: own.has(r.code) }));
  }

  async get(id: number): Promise<SharedTemplate> {
    const found = (await this.list()).find((t) => t.id === id);
    if (!found) throw DomainError.notFound('共通テンプレート', id);
    return found;
  }

  /** Publishes (or, for a code already published, replaces as its next version) a definition of the prefecture. */
  async publish(dto: PublishSharedTemplateDto, actor: Actor): Promise<SharedTemplate> {
    if ((await this.tenants.municipalities()).length === 0) {
      throw DomainError.invalid('code', '共通テンプレートは、市区町村が属する都道府県の団体だけが配布できます');
    }
    if (dto.periodType === 'multi_year' && (!dto.spanYears || !dto.firstFiscalYear)) {
      throw DomainError.invalid('spanYears', '複数年度の周期には spanYears と firstFiscalYear が必要です');
    }
    const scale = await this.scales.get(dto.scaleCode);
    const fields = dto.fields ? normaliseForm(dto.fields) : DEFAULT_FORM;
    // Rules may read only what every municipality's plan has: no item attribute.
    const errors = validateFormDefinition(fields);
    if (errors.length)
      throw new DomainError('invalid', errors.join(' / '), { field: 'fields', errors: errors.map((message) => ({ field: 'fields', message })) });
    return this.dataSource.transaction(async (em) => {
      const [before] = await em.query(`SELECT ${COLUMNS} FROM shared_templates WHERE code = $1 AND tenant_id = app_tenant() FOR UPDATE`, [dto.code]);
      const [row] = await em.query(
        `INSERT INTO shared_templates (code, name, period_type, span_years, first_fiscal_year, scale, fields, layout, published_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (code, tenant_id) DO UPDATE SET name = EXCLUDED.name, period_type = EXCLUDED.period_type,
           span_years = EXCLUDED.span_years, first_fiscal_year = EXCLUDED.first_fiscal_year, scale = EXCLUDED.scale,
           fields = EXCLUDED.fields, layout = EXCLUDED.layout, published_by = EXCLUDED.published_by,
           version = shared_templates.version + 1, published_at = now()
         RETURNING ${COLUMNS}`,
        [
          dto.code,
          dto.name,
          dto.periodType,
          dto.spanYears ?? null,
          dto.firstFiscalYear ?? null,
          JSON.stringify(scale),
          JSON.stringify(fields),
          dto.layout ?? 'list',
          actor.id,
        ],
      );
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'shared_template.publish',
        subjectType: 'shared_template',
        subjectId: row.id,
        before: before ?? undefined,
        after: row,
      });
      return { ...row, adopted: false };
    });
  }

  /**
   * The municipality's own template from its prefecture's definition: same code, name, period,
   * scale and form, on `planId`, with the approval route given (or the default one, to be set on
   * the template screen). A scale the municipality lacks is created with it.
   */
  async adopt(id: number, dto: AdoptSharedTemplateDto, actor: Actor): Promise<CycleTemplate> {
    const shared = await this.get(id);
    if (shared.own) throw DomainError.invalid('id', '配布した団体自身は共通テンプレートを採用できません');
    const known = (await this.scales.list()).find((s) => s.code === shared.scale.code);
    if (!known) await this.scales.create(shared.scale, actor);
    else if (JSON.stringify(known.options) !== JSON.stringify(shared.scale.options)) {
      throw new DomainError('conflict', `評価尺度 ${shared.scale.code} は、この団体では別の内容で登録されています`, { field: 'scaleCode' });
    }
    return this.templates.create(
      {
        code: shared.code,
        name: shared.name,
        planId: dto.planId,
        periodType: shared.periodType,
        spanYears: shared.spanYears ?? undefined,
        firstFiscalYear: shared.firstFiscalYear ?? undefined,
        scaleCode: shared.scale.code,
        fields: shared.fields as unknown as CreateTemplateDto['fields'],
        layout: shared.layout,
        approvalRoute: dto.approvalRoute,
      },
      actor,
    );
  }
}
