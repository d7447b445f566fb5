import { CYCLE_ACTIONS, CYCLE_STATES, FORM_LAYOUTS, PERIOD_TYPES, RETENTION_CLASSES } from '@app/domain';
import {
  ApiArray,
  ApiBoolean,
  ApiDateTime,
  ApiDay,
  ApiEnum,
  ApiEnumArray,
  ApiNullableDateTime,
  ApiNullableNumber,
  ApiNullableObject,
  ApiNumber,
  ApiNumbers,
  ApiObject,
  ApiOptional,
  ApiString,
  ApprovalStepViewDto,
  FormFieldViewDto,
  ApprovalOptionsViewDto,
  ApiNullableString,
} from '@app/common';

/** The template's scale, fields and route as the cycle opened. */
export class CycleRulesDto {
  @ApiString() scaleCode: string;
  @ApiArray(() => FormFieldViewDto) fields: FormFieldViewDto[];
  @ApiArray(() => ApprovalStepViewDto) approvalRoute: ApprovalStepViewDto[];
  @ApiOptional({ enum: [...FORM_LAYOUTS], enumName: 'FormLayout' }) layout?: string;
  @ApiOptional({ type: Number }) templateVersion?: number;
  @ApiOptional({ type: () => ApprovalOptionsViewDto }) approvalOptions?: ApprovalOptionsViewDto;
}

/** A cycle with its Japanese state label and the actions its transition table allows now. */
export class CycleDto {
  @ApiNumber() id: number;
  @ApiNumber() templateId: number;
  @ApiString() periodKey: string;
  @ApiDay() periodStart: string;
  @ApiDay() periodEnd: string;
  @ApiNumber() fiscalYear: number;
  @ApiString() label: string;
  @ApiEnum(CYCLE_STATES, 'CycleState') state: string;
  @ApiString() stateLabel: string;
  @ApiEnumArray(CYCLE_ACTIONS, 'CycleAction') allowedActions: string[];
  @ApiDay() submissionDeadline: string;
  @ApiDay() reviewDeadline: string;
  @ApiNullableDateTime() openedAt: string | null;
  @ApiNullableDateTime() closedAt: string | null;
  @ApiNullableDateTime() publishedAt: string | null;
  @ApiNullableObject(() => CycleRulesDto, 'null while draft') rules: CycleRulesDto | null;
  @ApiNumber() version: number;
  @ApiDateTime() createdAt: string;
  @ApiDateTime() updatedAt: string;
}

/** POST /cycles: the cycle of that period, `created` false when it existed already. */
export class EnsuredCycleDto extends CycleDto {
  @ApiBoolean() created: boolean;
}

export class CycleActionResultDto {
  @ApiObject(() => CycleDto) cycle: CycleDto;
  @ApiOptional({ type: Number, description: 'open: entries created' }) createdEntries?: number;
  @ApiOptional({ type: Number, description: 'force_close: entries marked not submitted' }) markedNotSubmitted?: number;
  @ApiOptional({ type: Number, description: 'force_close: entries still in review, marked 未承認' }) markedNotApproved?: number;
  @ApiOptional({ type: () => NotApprovedEntryDto, isArray: true, description: 'force_close: those entries' }) notApproved?: NotApprovedEntryDto[];
  @ApiOptional({ type: [String], description: 'open: what the opening means for the mail (a late opening, a past period)' }) notes?: string[];
}

export class NotApprovedEntryDto {
  @ApiNumber() entryId: number;
  @ApiNumber() itemNumber: number;
  @ApiString() itemSubNumber: string;
  @ApiString() itemTitle: string;
  @ApiString() sectionName: string;
  @ApiNullableString('the step the entry waited at') stepLabel: string | null;
}

export class ReminderScheduleViewDto {
  @ApiNumbers('business days before the deadline') beforeBusinessDays: number[];
  @ApiBoolean() onDeadline: boolean;
  @ApiNumber() overdueEveryBusinessDays: number;
  @ApiNumber() overdueMaxCount: number;
}

export class TemplateDto {
  @ApiNumber() id: number;
  @ApiString() code: string;
  @ApiString() name: string;
  @ApiNumber() planId: number;
  @ApiEnum(PERIOD_TYPES, 'PeriodType') periodType: string;
  @ApiNullableNumber() spanYears: number | null;
  @ApiNullableNumber() firstFiscalYear: number | null;
  @ApiString() scaleCode: string;
  @ApiArray(() => FormFieldViewDto) fields: FormFieldViewDto[];
  @ApiEnum(FORM_LAYOUTS, 'FormLayout') layout: string;
  @ApiArray(() => ApprovalStepViewDto) approvalRoute: ApprovalStepViewDto[];
  @ApiObject(() => ApprovalOptionsViewDto) approvalOptions: ApprovalOptionsViewDto;
  @ApiNumber() submissionOffsetDays: number;
  @ApiNumber() reviewOffsetDays: number;
  @ApiObject(() => ReminderScheduleViewDto) reminderSchedule: ReminderScheduleViewDto;
  @ApiBoolean() autoOpen: boolean;
  @ApiEnum(RETENTION_CLASSES, 'RetentionClass', "保存期間 of each closed cycle's record") retentionClass: string;
  @ApiBoolean() active: boolean;
  @ApiNumber() version: number;
  @ApiDateTime() createdAt: string;
  @ApiDateTime() updatedAt: string;
}
