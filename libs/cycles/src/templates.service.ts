import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, DeepPartial, Repository } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import { UserDirectory } from '@app/org';
import { PlanReads } from '@app/plan-items';
import {
  Actor,
  ApprovalOptions,
  approvalOptionsProblem,
  approvalRouteProblem,
  DEFAULT_APPROVAL_OPTIONS,
  DEFAULT_APPROVAL_ROUTE,
  DEFAULT_FORM,
  DEFAULT_REMINDER_SCHEDULE,
  DEFAULT_RETENTION_CLASS,
  FormField,
  normaliseForm,
  normaliseField,
  validateFormDefinition,
} from '@app/domain';
import { CreateTemplateDto, UpdateTemplateDto } from './dto/template.dto';
import { asOpened, CycleRules } from './cycle-rules';
import { CycleTemplate } from './entities/cycle-template.entity';
import { RatingScalesService } from './rating-scales.service';

export { DEFAULT_APPROVAL_ROUTE };

@Injectable()
export class TemplatesService {
  constructor(
    @InjectRepository(CycleTemplate) private readonly templates: Repository<CycleTemplate>,
    private readonly scales: RatingScalesService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    private readonly plans: PlanReads,
    private readonly users: UserDirectory,
  ) {}

  list(): Promise<CycleTemplate[]> {
    return this.templates.find({ order: { id: 'ASC' } });
  }

  async get(id: number): Promise<CycleTemplate> {
    const template = await this.templates.findOneBy({ id });
    if (!template) throw DomainError.notFound('テンプレート', id);
    return template;
  }

  /** The template as `cycle` opened with it (its own scale, fields and route once open). */
  async forCycle(cycle: { templateId: number; rules: CycleRules | null }): Promise<CycleTemplate> {
    return asOpened(await this.get(cycle.templateId), cycle.rules);
  }

  async create(dto: CreateTemplateDto, actor: Actor): Promise<CycleTemplate> {
    await this.checkReferences(dto);
    const fields = dto.fields ? await this.checkForm(dto.fields, dto.planId) : DEFAULT_FORM;
    return this.dataSource.transaction(async (em) => {
      if (await em.existsBy(CycleTemplate, { code: dto.code })) {
        throw new DomainError('conflict', `テンプレート ${dto.code} は既に存在します`, { field: 'code' });
      }
      const template = em.create(CycleTemplate, {
        code: dto.code,
        name: dto.name,
        planId: dto.planId,
        periodType: dto.periodType,
        spanYears: dto.spanYears ?? null,
        firstFiscalYear: dto.firstFiscalYear ?? null,
        scaleCode: dto.scaleCode,
        fields,
        layout: dto.layout ?? 'list',
        approvalRoute: dto.approvalRoute ?? DEFAULT_APPROVAL_ROUTE,
        approvalOptions: dto.approvalOptions ?? { ...DEFAULT_APPROVAL_OPTIONS, fallbackApprovers: [...DEFAULT_APPROVAL_OPTIONS.fallbackApprovers] },
        submissionOffsetDays: dto.submissionOffsetDays ?? 10,
        reviewOffsetDays: dto.reviewOffsetDays ?? 20,
        reminderSchedule: dto.reminderSchedule ?? DEFAULT_REMINDER_SCHEDULE,
        autoOpen: dto.autoOpen ?? false,
        retentionClass: dto.retentionClass ?? DEFAULT_RETENTION_CLASS,
        active: true,
      });
      const saved = await em.save(template);
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'template.create',
        subjectType: 'template',
        subjectId: saved.id,
        after: saved,
      });
      return saved;
    });
  }

  async update(id: number, dto: UpdateTemplateDto, actor: Actor): Promise<CycleTemplate> {
    await this.checkReferences(dto);
    return this.dataSource.transaction(async (em) => {
      const current = await em.findOne(CycleTemplate, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw DomainError.notFound('テンプレート', id);
      if (current.version !== dto.version) {
        throw DomainError.conflict('テンプレートは他のユーザーによって更新されています', { field: 'version', current });
      }
      const { version: _version, fields: rawFields, ...rest } = dto;
      const changes: DeepPartial<CycleTemplate> = { ...rest };
      if (rawFields) changes.fields = await this.checkForm(rawFields, dto.planId ?? current.planId, em);
      const merged = em.merge(CycleTemplate, em.create(CycleTemplate, { ...current }), changes);
      if (merged.periodType === 'multi_year' && (!merged.spanYears || !merged.firstFiscalYear)) {
        throw DomainError.invalid('spanYears', '複数年度の周期には spanYears と firstFiscalYear が必要です');
      }
      const saved = (await em.save(merged)) as CycleTemplate;
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'template.update',
        subjectType: 'template',
        subjectId: id,
        before: current,
        after: saved,
      });
      return saved;
    });
  }

  /**
   * The form normalised, or 422 naming what is wrong. Rules may read the plan's item
   * attributes, so the plan's attribute keys are the ones a rule can name.
   */
  private async checkForm(raw: unknown[], planId: number, em = this.dataSource.manager): Promise<FormField[]> {
    const fields = normaliseForm(raw);
    const plan = await this.plans.row(planId, em);
    const itemKeys = new Set((plan?.itemFields ?? []).map((f) => normaliseField(f as FormField).key));
    const errors = validateFormDefinition(fields, itemKeys);
    if (errors.length)
      throw new DomainError('invalid', errors.join(' / '), { field: 'fields', errors: errors.map((message) => ({ field: 'fields', message })) });
    return fields;
  }

  private async checkReferences(dto: Partial<CreateTemplateDto>): Promise<void> {
    if (dto.approvalRoute) {
      const problem = approvalRouteProblem(dto.approvalRoute);
      if (problem) throw DomainError.invalid(problem.field, problem.message);
      const named = [...new Set(dto.approvalRoute.flatMap((s) => s.co?.userIds ?? []))];
      if (named.length) {
        const found = await this.users.activeIds(named);
        const missing = named.filter((id) => !found.includes(id));
        if (missing.length) throw DomainError.invalid('approvalRoute', `合議の相手に指定した職員 ${missing.join('、')} が存在しないか無効です`);
      }
    }
    if (dto.approvalOptions) {
      const problem = approvalOptionsProblem(dto.approvalOptions as ApprovalOptions);
      if (problem) throw DomainError.invalid(problem.field, problem.message);
    }
    if (dto.scaleCode !== undefined) {
      await this.scales.get(dto.scaleCode).catch(() => {
        throw DomainError.invalid('scaleCode', `評価尺度「${dto.scaleCode}」が存在しません`);
      });
    }
    if (dto.planId !== undefined) {
      if (!(await this.plans.row(dto.planId))) throw DomainError.invalid('planId', `計画 ${dto.planId} が存在しません`);
    }
    if (dto.periodType === 'multi_year' && (!dto.spanYears || !dto.firstFiscalYear)) {
      throw DomainError.invalid('spanYears', '複数年度の周期には spanYears と firstFiscalYear が必要です');
    }
  }
}
