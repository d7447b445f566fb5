import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RatingScalesService, TemplatesService } from '@app/cycles';
import { Actor, DEFAULT_FORM, FormField, normaliseForm } from '@app/domain';
import { scriptActor } from '@app/org/org-seed-rows';
import { planIdByCode } from '@app/plan-items/plan-seed-rows';
import { ABC3_SCALE, SEED_TEMPLATES } from './forms';

export interface SeedTemplatesResult {
  /** Template id by code, for every template of SEED_TEMPLATES. */
  ids: Map<string, number>;
  created: number;
  /** Templates found with the first version's six fields and given their form. */
  formsAdded: number;
}

/**
 * The templates of the five kinds of report with their forms, through TemplatesService (which
 * validates the form and audits): a missing template is created; one still holding the
 * first version's default fields (seeded before forms) gets its form with `update`, which
 * leaves the cycles already opened with their own rules; any other is left as it is.
 * The custom scale abc3 is created first through RatingScalesService.
 */
@Injectable()
export class SeedTemplatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly templates: TemplatesService,
    private readonly scales: RatingScalesService,
  ) {}

  async ensure(): Promise<SeedTemplatesResult> {
    const actor = await this.admin();
    const scaleExists = await this.scales.get(ABC3_SCALE.code).then(
      () => true,
      () => false,
    );
    if (!scaleExists) await this.scales.create(ABC3_SCALE, actor);

    const result: SeedTemplatesResult = { ids: new Map(), created: 0, formsAdded: 0 };
    const existing = await this.templates.list();
    for (const def of SEED_TEMPLATES) {
      const found = existing.find((t) => t.code === def.code);
      if (!found) {
        const created = await this.templates.create(
          {
            code: def.code,
            name: def.name,
            planId: await this.planId(def.planCode),
            periodType: def.periodType,
            scaleCode: def.scaleCode,
            fields: def.fields,
            layout: def.layout,
            approvalRoute: def.approvalRoute,
            submissionOffsetDays: 10,
            reviewOffsetDays: 20,
          },
          actor,
        );
        result.ids.set(def.code, created.id);
        result.created++;
        continue;
      }
      result.ids.set(def.code, found.id);
      if (hasDefaultForm(found.fields)) {
        await this.templates.update(found.id, { version: found.version, fields: def.fields, layout: def.layout }, actor);
        result.formsAdded++;
      }
    }
    return result;
  }

  private async planId(code: string): Promise<number> {
    const plan = await planIdByCode(this.dataSource.manager, code);
    if (plan === null) throw new Error(`seed: 計画 ${code} がありません。先に組織と計画を投入してください`);
    return plan;
  }

  private async admin(): Promise<Actor> {
    const admin = await scriptActor(this.dataSource.manager, 'admin');
    if (!admin) throw new Error('seed: 利用者 admin がありません。先に組織と計画を投入してください');
    return { id: admin.id, name: admin.name, roles: admin.roles, sectionId: null, departmentId: null };
  }
}

/** The template still holds the six fields every template had before forms were configurable (jsonb reorders keys). */
export function hasDefaultForm(fields: readonly FormField[]): boolean {
  return isDeepStrictEqual(normaliseForm(fields), DEFAULT_FORM);
}
