import { APPROVAL_STEP_KINDS, DELEGATION_STATES, ENTRY_ACTIONS, ENTRY_STATES, FIELD_TYPES } from '@app/domain';
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
  ApiNumber,
  ApiOptional,
  ApiString,
  ApiStrings,
} from '@app/common';

export class PrincipalDto {
  @ApiNumber() userId: number;
  @ApiString() name: string;
}

/** My approval step on the entry when it is my turn (acting: 代決 for `onBehalfOf`). */
export class ApprovalTurnDto {
  @ApiString() stepLabel: string;
  @ApiBoolean() acting: boolean;
  @ApiNullableObject(() => PrincipalDto) onBehalfOf: PrincipalDto | null;
}

/** GET /entries/:id/actions: the buttons to show, and my approval step when it is my turn. */
export class EntryActionsDto {
  @ApiNumber() entryId: number;
  @ApiEnum(ENTRY_STATES, 'EntryState') state: string;
  @ApiEnumArray(ENTRY_ACTIONS, 'EntryAction') actions: string[];
  @ApiNullableObject(() => PendingStepDto, 'the step the entry waits at (null when it waits for nobody)') step: PendingStepDto | null;
  @ApiNullableObject(() => ApprovalTurnDto) approval: ApprovalTurnDto | null;
}

export class StepPartyDto {
  @ApiString() label: string;
  @ApiBoolean() approved: boolean;
}

/** Where the route stands: the step, and at a 合議 step each party. */
export class PendingStepDto {
  @ApiEnum(APPROVAL_STEP_KINDS, 'ApprovalStepKind') kind: string;
  @ApiString() label: string;
  @ApiString('「合議（2/3 承認済）」 at a 合議 step, else its label') text: string;
  @ApiArray(() => StepPartyDto) parties: StepPartyDto[];
}

/** One field compared with the previous version and the previous cycle's entry. */
export class DiffRowDto {
  @ApiString() field: string;
  @ApiString() label: string;
  @ApiEnum(FIELD_TYPES, 'FieldType') type: string;
  @ApiAnyValue() current: unknown;
  @ApiAnyValue() previousVersion: unknown;
  @ApiAnyValue() previousCycle: unknown;
  @ApiBoolean() changedSinceVersion: boolean;
  @ApiBoolean() changedSincePreviousCycle: boolean;
}

/** One entry of a bulk approval: approved, or why not (the status a single approval would answer). */
export class BulkResultDto {
  @ApiNumber() id: number;
  @ApiBoolean() ok: boolean;
  @ApiNumber() status: number;
  @ApiString() message: string;
}

export class InboxEntryDto {
  @ApiNumber() id: number;
  @ApiNumber() cycleId: number;
  @ApiString() cycleLabel: string;
  @ApiNumber() itemId: number;
  @ApiNumber() sectionId: number;
  @ApiString() sectionName: string;
  @ApiNumber() itemNumber: number;
  @ApiString() itemSubNumber: string;
  @ApiString() itemTitle: string;
  @ApiEnum(ENTRY_STATES, 'EntryState') state: string;
  @ApiString() stateLabel: string;
  @ApiNumber() currentStep: number;
  @ApiString() stepLabel: string;
  @ApiNullableString() rating: string | null;
  @ApiNumber() version: number;
  @ApiNullableDateTime() submittedAt: string | null;
  @ApiDay() reviewDeadline: string;
  @ApiBoolean() acting: boolean;
  @ApiNullableObject(() => PrincipalDto) onBehalfOf: PrincipalDto | null;
  @ApiStrings('why the route looks as it does: a step passed (所管課長の承認は作成者本人のため省略), a step re-addressed') notes: string[];
  @ApiNullableString('the notes in one line') note: string | null;
  @ApiString('the step as named now: 「合議（2/3 承認済）」 at a 合議 step, else its label') stepText: string;
}

export class InboxSectionDto {
  @ApiNumber() sectionId: number;
  @ApiString() sectionName: string;
  @ApiNumber('over all pages') count: number;
  @ApiArray(() => InboxEntryDto) entries: InboxEntryDto[];
}

export class InboxCycleDto {
  @ApiNumber() cycleId: number;
  @ApiString() cycleLabel: string;
  @ApiNumber('over all pages') count: number;
  @ApiArray(() => InboxSectionDto) sections: InboxSectionDto[];
}

/** 代決（経営企画部長）12/1〜12/4: a delegation in force for the caller. */
export class InboxDelegationDto {
  @ApiNumber() principalUserId: number;
  @ApiString() principalName: string;
  @ApiNullableString() principalPost: string | null;
  @ApiDay() startsOn: string;
  @ApiDay() endsOn: string;
  @ApiString() periodText: string;
  @ApiString() scopeText: string;
}

/** One page of GET /approvals/inbox; `count` and `total` are over all pages. */
export class InboxDto {
  @ApiNumber() total: number;
  @ApiArray(() => InboxDelegationDto) delegations: InboxDelegationDto[];
  @ApiNumber() limit: number;
  @ApiNullableString('the cursor of the next page, null on the last') nextCursor: string | null;
  @ApiArray(() => InboxCycleDto) groups: InboxCycleDto[];
}

/** A delegation (代決) with its state and what the caller may do with it. */
export class DelegationDto {
  @ApiNumber() id: number;
  @ApiNumber() fromUserId: number;
  @ApiString() fromUserName: string;
  @ApiNumber() toUserId: number;
  @ApiString() toUserName: string;
  @ApiDay() startsOn: string;
  @ApiDay() endsOn: string;
  @ApiNullableString() reason: string | null;
  @ApiNullableNumber() cycleId: number | null;
  @ApiNullableString() cycleLabel: string | null;
  @ApiNullableEnum(APPROVAL_STEP_KINDS, 'ApprovalStepKind') stepKind: string | null;
  @ApiNullableNumber() createdBy: number | null;
  @ApiNullableString() createdByName: string | null;
  @ApiDateTime() createdAt: string;
  @ApiNullableDateTime() confirmedAt: string | null;
  @ApiNullableNumber() confirmedBy: number | null;
  @ApiNullableString() confirmedByName: string | null;
  @ApiNullableDateTime() revokedAt: string | null;
  @ApiBoolean("kept through a 人事異動 of either person (the principal's choice); ended by the move otherwise") continueAfterTransfer: boolean;
  @ApiEnum(DELEGATION_STATES, 'DelegationState') state: string;
  @ApiString() stateLabel: string;
  @ApiBoolean() active: boolean;
  @ApiOptional({ type: Boolean, description: 'in the lists of GET /delegations' }) mayConfirm?: boolean;
  @ApiOptional({ type: Boolean, description: 'in the lists of GET /delegations' }) mayRevoke?: boolean;
}

export class DelegationsDto {
  @ApiArray(() => DelegationDto) given: DelegationDto[];
  @ApiArray(() => DelegationDto) received: DelegationDto[];
  @ApiArray(() => DelegationDto) toConfirm: DelegationDto[];
  @ApiArray(() => DelegationDto) recorded: DelegationDto[];
}
