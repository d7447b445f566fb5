import { AfterLoad, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { normaliseForm, readApprovalOptions } from '@app/domain';
import type { ApprovalOptions, ApprovalStepDef, FormField, FormLayout, PeriodType, ReminderSchedule, RetentionClass } from '@app/domain';

export type { ApprovalStepDef, ApprovalStepKind } from '@app/domain';

@Entity('cycle_templates')
export class CycleTemplate {
  @PrimaryGeneratedColumn() id: number;
  @Column() code: string;
  @Column() name: string;
  @Column({ name: 'plan_id' }) planId: number;
  @Column({ name: 'period_type', type: 'text' }) periodType: PeriodType;
  @Column({ name: 'span_years', type: 'integer', nullable: true }) spanYears: number | null;
  @Column({ name: 'first_fiscal_year', type: 'integer', nullable: true }) firstFiscalYear: number | null;
  @Column({ name: 'scale_code' }) scaleCode: string;
  /** The form: stored normalised; templates saved before forms hold the legacy list (read through normaliseForm). */
  @Column({ type: 'jsonb' }) fields: FormField[];
  @Column({ type: 'text' }) layout: FormLayout;
  @Column({ name: 'approval_route', type: 'jsonb' }) approvalRoute: ApprovalStepDef[];
  /** Segregation of duties and the fallback approvers (readApprovalOptions fills what an older row lacks). */
  @Column({ name: 'approval_options', type: 'jsonb' }) approvalOptions: ApprovalOptions;
  @Column({ name: 'submission_offset_days' }) submissionOffsetDays: number;
  @Column({ name: 'review_offset_days' }) reviewOffsetDays: number;
  @Column({ name: 'reminder_schedule', type: 'jsonb' }) reminderSchedule: ReminderSchedule;
  @Column({ name: 'auto_open' }) autoOpen: boolean;
  @Column() active: boolean;
  /** 保存期間 of each closed cycle's record (公文書). */
  @Column({ name: 'retention_class', type: 'text' }) retentionClass: RetentionClass;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;

  @AfterLoad() readForm(): void {
    this.fields = normaliseForm(this.fields);
    this.approvalOptions = readApprovalOptions(this.approvalOptions);
  }
}
