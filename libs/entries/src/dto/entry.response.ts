import { CYCLE_STATES, ENTRY_ACTIONS, ENTRY_STATES, FORM_LAYOUTS, VALUE_SCOPES } from '@app/domain';
import {
  ApiAnyValue,
  ApiArray,
  ApiBoolean,
  ApiDateTime,
  ApiDay,
  ApiEnum,
  ApiEnumArray,
  ApiNullableDateTime,
  ApiNullableEnum,
  ApiNullableNumber,
  ApiNullableObject,
  ApiNullableString,
  ApiNullableStringRecord,
  ApiNumber,
  ApiObject,
  ApiRecord,
  ApiString,
  ApprovalStepViewDto,
  FormFieldViewDto,
  KpiAchievementDto,
  KpiActualViewDto,
  KpiDefinitionDto,
  RatingScaleDto,
  ApiStrings,
  ApiOptional,
} from '@app/common';
import { CycleRulesDto } from '@app/cycles';

/** An entry row as saved (PUT, submit, approve, return, withdraw, reopen answer it). */
export class EntryDto {
  @ApiNumber() id: number;
  @ApiNumber() cycleId: number;
  @ApiNumber() itemId: number;
  @ApiNumber() sectionId: number;
  @ApiEnum(ENTRY_STATES, 'EntryState') state: string;
  @ApiNullableString() rating: string | null;
  @ApiNullableString() progress: string | null;
  @ApiNullableString() fiscalGoal: string | null;
  @ApiNullableString() shortTermPlan: string | null;
  @ApiArray(() => KpiActualViewDto) kpiActuals: KpiActualViewDto[];
  @ApiNullableString() reason: string | null;
  @ApiNullableString() nextSteps: string | null;
  @ApiRecord("the form's own fields beyond the built-in columns") values: Record<string, unknown>;
  @ApiNullableNumber() previousEntryId: number | null;
  @ApiNullableString() previousRating: string | null;
  @ApiNumber() currentStep: number;
  @ApiNullableNumber() authorUserId: number | null;
  @ApiNullableNumber() lastEditedBy: number | null;
  @ApiNullableDateTime() submittedAt: string | null;
  @ApiNullableDateTime() acceptedAt: string | null;
  @ApiNullableString() returnComment: string | null;
  @ApiNullableStringRecord('per-field comments of the return') returnFieldComments: Record<string, string> | null;
  @ApiStrings('what the route said of this submission: steps passed or re-addressed') routeNotes: string[];
  @ApiNumber() version: number;
  @ApiDateTime() createdAt: string;
  @ApiDateTime() updatedAt: string;
}

/** An entry as the lists show it: the row with its item, section and cycle. */
export class EntryRowDto {
  @ApiNumber() id: number;
  @ApiNumber() cycleId: number;
  @ApiNumber() itemId: number;
  @ApiNumber() sectionId: number;
  @ApiEnum(ENTRY_STATES, 'EntryState') state: string;
  @ApiString() stateLabel: string;
  @ApiNullableString() rating: string | null;
  @ApiNullableString() progress: string | null;
  @ApiNullableString() fiscalGoal: string | null;
  @ApiNullableString() shortTermPlan: string | null;
  @ApiArray(() => KpiActualViewDto) kpiActuals: KpiActualViewDto[];
  @ApiNullableString() reason: string | null;
  @ApiNullableString() nextSteps: string | null;
  @ApiRecord("the form's own fields beyond the built-in columns") values: Record<string, unknown>;
  @ApiNullableNumber() previousEntryId: number | null;
  @ApiNullableString() previousRating: string | null;
  @ApiNumber() currentStep: number;
  @ApiNullableNumber() authorUserId: number | null;
  @ApiNullableNumber() lastEditedBy: number | null;
  @ApiNullableDateTime() submittedAt: string | null;
  @ApiNullableDateTime() acceptedAt: string | null;
  @ApiNullableString() returnComment: string | null;
  @ApiNullableStringRecord() returnFieldComments: Record<string, string> | null;
  @ApiStrings('what the route said of this submission: steps passed or re-addressed') routeNotes: string[];
  @ApiNumber() version: number;
  @ApiDateTime() updatedAt: string;
  @ApiNumber() itemNumber: number;
  @ApiString() itemSubNumber: string;
  @ApiString() itemTitle: string;
  @ApiNullableString() itemChapter: string | null;
  @ApiString() sectionName: string;
  @ApiString() cycleLabel: string;
  @ApiEnum(CYCLE_STATES, 'CycleState') cycleState: string;
  @ApiDay() submissionDeadline: string;
  @ApiDay() reviewDeadline: string;
}

/** The entry of GET /entries/:id: the list row with its cycle's template and rules. */
export class EntryDetailRowDto extends EntryRowDto {
  @ApiNumber() templateId: number;
  @ApiNullableObject(() => CycleRulesDto, 'the rules the cycle opened with') cycleRules: CycleRulesDto | null;
  @ApiNumber() fiscalYear: number;
  @ApiNumber() departmentId: number;
}

export class EntryPageDto {
  @ApiNumber() total: number;
  @ApiNumber() page: number;
  @ApiNumber() pageSize: number;
  @ApiArray(() => EntryRowDto) items: EntryRowDto[];
}

export class KpiDto extends KpiDefinitionDto {
  @ApiObject(() => KpiAchievementDto, "this cycle's fiscal year: target, last saved actual, rate") achievement: KpiAchievementDto;
}

export class EntryItemDto {
  @ApiNullableString() content: string | null;
  @ApiNullableString() targetDateText: string | null;
  @ApiNullableString() sectionContent: string | null;
  @ApiNullableString() sectionTargetDateText: string | null;
  @ApiRecord("the plan's item attributes") attributes: Record<string, unknown>;
  @ApiArray(() => FormFieldViewDto) itemFields: FormFieldViewDto[];
  @ApiArray(() => KpiDto) kpis: KpiDto[];
}

export class EntryTemplateDto {
  @ApiNumber() id: number;
  @ApiString() name: string;
  @ApiArray(() => FormFieldViewDto) fields: FormFieldViewDto[];
  @ApiEnum(FORM_LAYOUTS, 'FormLayout') layout: string;
  @ApiArray(() => ApprovalStepViewDto) approvalRoute: ApprovalStepViewDto[];
}

/** A department's or section's fields for the cycle (基本方針, 総括), entered once. */
export class ScopeValuesDto {
  @ApiNumber() cycleId: number;
  @ApiEnum(VALUE_SCOPES, 'ValueScope') scope: string;
  @ApiNumber() scopeId: number;
  @ApiString() name: string;
  @ApiNullableString('the department head, printed with 基本方針 and 総括') headName: string | null;
  @ApiArray(() => FormFieldViewDto) fields: FormFieldViewDto[];
  @ApiRecord() values: Record<string, unknown>;
  @ApiNumber() version: number;
  @ApiBoolean() editable: boolean;
  @ApiNullableDateTime() updatedAt: string | null;
}

export class EntryScopesDto {
  @ApiObject(() => ScopeValuesDto) department: ScopeValuesDto;
  @ApiObject(() => ScopeValuesDto) section: ScopeValuesDto;
}

export class RatingSuggestionDto {
  @ApiString() rating: string;
  @ApiNumber() achievementRate: number;
}

export class EntryVersionDto {
  @ApiNumber() version: number;
  @ApiEnum(ENTRY_STATES, 'EntryState') state: string;
  @ApiRecord('the entry as saved in this version') data: Record<string, unknown>;
  @ApiDateTime() editedAt: string;
  @ApiNullableString() editedBy: string | null;
}

/** 修正, 提出, 承認（評価者・代決） with the comment. */
export class EntryHistoryStepDto {
  @ApiDateTime() at: string;
  @ApiString() action: string;
  @ApiString() label: string;
  @ApiNullableString() actorName: string | null;
  @ApiNullableString() onBehalfOfName: string | null;
  @ApiNullableString() comment: string | null;
}

/** Everything the entry form needs: the entry, its template rules, the previous cycle's entry, history. */
export class EntryDetailDto {
  @ApiObject(() => EntryDetailRowDto) entry: EntryDetailRowDto;
  @ApiNumber() fiscalYear: number;
  @ApiObject(() => EntryItemDto) item: EntryItemDto;
  @ApiObject(() => EntryTemplateDto) template: EntryTemplateDto;
  @ApiObject(() => EntryScopesDto) scopes: EntryScopesDto;
  @ApiObject(() => RatingScaleDto) scale: RatingScaleDto;
  @ApiNullableObject(() => EntryRowDto, "the previous cycle's entry") previous: EntryRowDto | null;
  @ApiEnumArray(ENTRY_ACTIONS, 'EntryAction') allowedActions: string[];
  @ApiNullableObject(() => RatingSuggestionDto, 'the rating the KPI results point to; a hint, never applied by itself')
  suggestion: RatingSuggestionDto | null;
  @ApiArray(() => EntryVersionDto) versions: EntryVersionDto[];
  @ApiArray(() => EntryHistoryStepDto, 'newest first') history: EntryHistoryStepDto[];
}

/** One audit row of the entry (GET /entries/:id/history). */
export class AuditRowDto {
  @ApiString() id: string;
  @ApiDateTime() at: string;
  @ApiNullableNumber() actorUserId: number | null;
  @ApiNullableString() actorName: string | null;
  @ApiNullableNumber() onBehalfOfUserId: number | null;
  @ApiNullableString() onBehalfOfName: string | null;
  @ApiBoolean() acting: boolean;
  @ApiString() action: string;
  @ApiString() subjectType: string;
  @ApiString() subjectId: string;
  @ApiAnyValue() before: unknown;
  @ApiAnyValue() after: unknown;
  @ApiNullableString() comment: string | null;
}

export class MatrixTemplateDto {
  @ApiNumber() id: number;
  @ApiString() name: string;
  @ApiObject(() => RatingScaleDto) scale: RatingScaleDto;
}

export class MatrixColumnDto {
  @ApiNumber() cycleId: number;
  @ApiString() periodKey: string;
  @ApiString() label: string;
  @ApiEnum(CYCLE_STATES, 'CycleState') state: string;
}

export class MatrixCellDto {
  @ApiNumber() cycleId: number;
  @ApiNullableString() rating: string | null;
  @ApiString() symbol: string;
  @ApiNullableEnum(ENTRY_STATES, 'EntryState') state: string | null;
  @ApiOptional({ type: String, nullable: true, description: "外部評価: this cycle's 提言 on the item" }) recommendation?: string | null;
  @ApiOptional({ type: String, nullable: true, description: "外部評価: the entry's 対応方針 to the previous cycle's 提言" }) response?: string | null;
}

export class MatrixRowDto {
  @ApiNumber() itemId: number;
  @ApiNumber() number: number;
  @ApiString() subNumber: string;
  @ApiString() title: string;
  @ApiNumber() sectionId: number;
  @ApiString() sectionName: string;
  @ApiArray(() => MatrixCellDto) cells: MatrixCellDto[];
}

/** Items × periods with rating symbols for one template (the monthly pledge report). */
export class MatrixDto {
  @ApiObject(() => MatrixTemplateDto) template: MatrixTemplateDto;
  @ApiNullableNumber() fiscalYear: number | null;
  @ApiArray(() => MatrixColumnDto) columns: MatrixColumnDto[];
  @ApiArray(() => MatrixRowDto) rows: MatrixRowDto[];
}
