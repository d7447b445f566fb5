import { ApiProperty } from '@nestjs/swagger';
import {
  APPROVAL_STEP_KINDS,
  CO_APPROVAL_PARTIES,
  CO_APPROVAL_RULES,
  FALLBACK_APPROVER_KINDS,
  FIELD_SCOPES,
  FIELD_TYPES,
  KPI_DIRECTIONS,
  KPI_KINDS,
  ROLES,
} from '@app/domain';
import {
  ApiArray,
  ApiBoolean,
  ApiEnum,
  ApiEnumArray,
  ApiNullableNumber,
  ApiNumber,
  ApiNumberOrString,
  ApiOptional,
  ApiString,
  ApiStrings,
} from '../api-schema';

/*
 * Response shapes of the domain's own types (libs/domain), shared by several libs' answers.
 * They describe the JSON; the web still types forms with the domain's FormField itself.
 */

export class FieldOptionViewDto {
  @ApiString() value: string;
  @ApiString() label: string;
}

/** A JSON-logic rule, or a constant. */
const RULE = { oneOf: [{ type: 'boolean' }, { type: 'object', additionalProperties: true }] };

export class FormFieldViewDto {
  @ApiString() key: string;
  @ApiString() label: string;
  @ApiOptional({ type: String }) help?: string;
  @ApiEnum(FIELD_TYPES, 'FieldType') type: string;
  @ApiEnum(FIELD_SCOPES, 'FieldScope') scope: string;
  @ApiOptional({ type: FieldOptionViewDto, isArray: true }) options?: FieldOptionViewDto[];
  @ApiOptional({ type: Number }) maxSelections?: number;
  @ApiOptional({ type: Number }) maxLength?: number;
  @ApiOptional({ type: String }) unit?: string;
  @ApiOptional({ type: Number }) decimals?: number;
  @ApiOptional({ type: Number }) min?: number;
  @ApiOptional({ type: Number }) max?: number;
  @ApiOptional({ type: Boolean }) perYear?: boolean;
  @ApiOptional(RULE) required?: unknown;
  @ApiOptional(RULE) visible?: unknown;
}

/** 合議: the rule and who the parties are (named users when parties is 'named'). */
export class CoApprovalViewDto {
  @ApiEnum(CO_APPROVAL_RULES, 'CoApprovalRule') rule: string;
  @ApiEnum(CO_APPROVAL_PARTIES, 'CoApprovalParties') parties: string;
  @ApiOptional({ type: [Number] }) userIds?: number[];
}

export class ApprovalStepViewDto {
  @ApiEnum(APPROVAL_STEP_KINDS, 'ApprovalStepKind') kind: string;
  @ApiString() label: string;
  @ApiOptional({ type: () => CoApprovalViewDto, description: 'only on a co_approval step' }) co?: CoApprovalViewDto;
}

export class ExternalReviewOptionsViewDto {
  @ApiBoolean() enabled: boolean;
  @ApiBoolean() responseRequired: boolean;
}

/** The route's options: segregation of duties, the evaluator step's fallback chain, outside review. */
export class ApprovalOptionsViewDto {
  @ApiBoolean() segregation: boolean;
  @ApiEnumArray(FALLBACK_APPROVER_KINDS, 'FallbackApproverKind') fallbackApprovers: string[];
  @ApiOptional({ type: () => ExternalReviewOptionsViewDto }) externalReview?: ExternalReviewOptionsViewDto;
}

export class RatingOptionDto {
  @ApiString() value: string;
  @ApiString() symbol: string;
  @ApiString() label: string;
  @ApiNumber() ordinal: number;
}

export class RatingScaleDto {
  @ApiString() code: string;
  @ApiString() name: string;
  @ApiArray(() => RatingOptionDto) options: RatingOptionDto[];
  @ApiStrings('option values for which the entry must give a reason (理由)') reasonRequiredFor: string[];
}

export class KpiActualViewDto {
  @ApiNumber() kpiId: number;
  @ApiNumberOrString(true) actual: number | string | null;
}

export class KpiDefinitionDto {
  @ApiNumber() id: number;
  @ApiString() name: string;
  @ApiString() unit: string;
  @ApiEnum(KPI_KINDS, 'KpiKind') kind: string;
  @ApiEnum(KPI_DIRECTIONS, 'KpiDirection') direction: string;
  @ApiProperty({ type: 'object', additionalProperties: { oneOf: [{ type: 'number' }, { type: 'string' }] }, description: 'target per fiscal year' })
  targets: Record<string, number | string>;
}

export class KpiAchievementDto {
  @ApiNumberOrString(true) target: number | string | null;
  @ApiNumberOrString(true) actual: number | string | null;
  @ApiNullableNumber('percent of the target reached') rate: number | null;
  @ApiProperty({ type: Boolean, nullable: true }) achieved: boolean | null;
}

/** Who is signed in, as the guards see them. */
export class ActorDto {
  @ApiNumber() id: number;
  @ApiString() name: string;
  @ApiNullableNumber() sectionId: number | null;
  @ApiNullableNumber() departmentId: number | null;
  @ApiEnumArray(ROLES, 'Role') roles: string[];
}

export class FieldErrorDto {
  @ApiString() field: string;
  @ApiString() message: string;
}

/** Every error the API answers (4xx, 5xx): ErrorBody of libs/common/src/error-body.ts. */
export class ErrorBodyDto {
  @ApiNumber() statusCode: number;
  @ApiString('a machine-readable kind: invalid, not_found, conflict, bad_request, too_many_requests, …') error: string;
  @ApiString('Japanese, for the user') message: string;
  @ApiOptional({ type: String, description: 'the input at fault' }) field?: string;
  @ApiOptional({ type: FieldErrorDto, isArray: true, description: 'when several inputs are at fault' }) errors?: FieldErrorDto[];
  @ApiOptional({ type: String, description: 'quoted by the user to find a 5xx in the log' }) errorId?: string;
  @ApiOptional({ type: String, description: "the framework's own text, when it refused the request (an unknown route, a pipe)" }) detail?: string;
}

/** The answer of an action that only counts what it did. */
export class EndedCountDto {
  @ApiNumber('sessions ended') ended: number;
}
