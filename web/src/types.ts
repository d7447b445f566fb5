// Shapes of the REST API as the UI reads them: aliases of the schemas generated from the API's
// OpenAPI document (api-types.gen.ts, by `npm run openapi`), so a changed response breaks the
// web's type check. The form's vocabulary is the domain's own, imported rather than copied.
import type { components } from './api-types.gen';
import type { FormField, FormLayout, KpiActual } from '../../libs/domain/src/forms';
import type { ApprovalOptions, ApprovalStepDef as ApprovalStep } from '../../libs/domain/src/workflow/approval-steps';
import type { Role } from '../../libs/domain/src/org/roles';
export type { ApprovalOptions, ApprovalStep, FormField, FormLayout, KpiActual, Role };
export type { CycleAction } from '../../libs/domain/src/workflow/cycle-state';

type Schemas = components['schemas'];

/** A user as the administration screens show them (never a password). */
export type UserRow = Schemas['UserDto'];
/** A live session (ログイン中の端末), GET /api/auth/sessions. */
export type SessionRow = Schemas['SessionDto'];
export type DepartmentRow = Schemas['DepartmentDto'];
export type SectionRow = Schemas['SectionRowDto'];
export type Actor = Schemas['ActorDto'];
/** GET /api/auth/me: the signed-in user, and how many municipalities its tenant has (a prefecture's). */
export type Me = Schemas['MeDto'];
export type ScaleOption = Schemas['RatingOptionDto'];
export type Scale = Schemas['RatingScaleDto'];
export type EntryRow = Schemas['EntryRowDto'];
export type Kpi = Schemas['KpiDto'];
/** A department's or section's fields for the cycle (基本方針, 総括), entered once. */
export type ScopeValues = Schemas['ScopeValuesDto'];
export type EntryDetail = Schemas['EntryDetailDto'];
export type DiffRow = Schemas['DiffRowDto'];
/** GET /entries/:id/actions: the buttons to show, and my approval step when it is my turn. */
export type EntryActions = Schemas['EntryActionsDto'];
export type ApprovalTurn = Schemas['ApprovalTurnDto'];
export type InboxEntry = Schemas['InboxEntryDto'];
/** 代決（経営企画部長）12/1〜12/4: a delegation in force for the caller. */
export type InboxDelegation = Schemas['InboxDelegationDto'];
/** One page of GET /approvals/inbox; `count` and `total` are over all pages. */
export type Inbox = Schemas['InboxDto'];
export type Cycle = Schemas['CycleDto'];
export type Template = Schemas['TemplateDto'];
export type Plan = Schemas['PlanDto'];
export type CompletenessGroup = Schemas['CompletenessGroupDto'];
export type Completeness = Schemas['CompletenessDto'];
export type RatingCount = Schemas['RatingCountDto'];
export type RatingTally = Schemas['RatingTallyDto'];
export type Summary = Schemas['SummaryDto'];
export type Matrix = Schemas['MatrixDto'];
export type ReminderLog = Schemas['CycleRemindersDto'];
export type Delegation = Schemas['DelegationDto'];
export type Delegations = Schemas['DelegationsDto'];
export type DirectoryPerson = Schemas['DirectoryPersonDto'];
export type TransferBatch = Schemas['TransferDto'];
export type TransferPreview = Schemas['TransferPreviewDto'];
export type ReformReport = Schemas['ReformReportDto'];
export type ReformRegistered = Schemas['ReformRegisteredDto'];
export type ReformBatch = Schemas['ReformDto'];
export type DisposalList = Schemas['DisposalListDto'];
export type DisposalRow = Schemas['DisposalRowDto'];
export type NotificationItem = Schemas['NotificationItemDto'];
export type NotificationList = Schemas['NotificationListDto'];
/** Every error the API answers (the body of an ApiError). */
export type ApiErrorBody = Schemas['ErrorBodyDto'];
/** GET /shared-templates: a template definition the prefecture distributes. */
export type SharedTemplate = Schemas['SharedTemplateDto'];
/** POST /api/shared-templates: what a prefecture distributes. */
export type PublishSharedTemplate = Schemas['PublishSharedTemplateDto'];
/** GET /prefecture/comparison: the prefecture's municipalities side by side. */
export type Comparison = Schemas['ComparisonDto'];
