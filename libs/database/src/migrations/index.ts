import { Organisation1732000000000 } from './1732000000000-organisation';
import { Cycles1732000002000 } from './1732000002000-cycles';
import { Approvals1732000003000 } from './1732000003000-approvals';
import { Reminders1732000004000 } from './1732000004000-reminders';
import { CycleRules1732000005000 } from './1732000005000-cycle-rules';
import { PasswordChanged1732000006000 } from './1732000006000-password-changed';
import { Forms1732000007000 } from './1732000007000-forms';
import { PlanVersion1732000008000 } from './1732000008000-plan-version';
import { InboxIndexes1732000009200 } from './1732000009200-inbox-indexes';
import { AppLogin, appRoleAuditChainMigration } from './1732000009300-app-role-audit-chain';
import { PasswordChangeAndNotices1732000009400 } from './1732000009400-password-change-and-notices';
import { Sessions1732000009500 } from './1732000009500-sessions';
import { DelegationChecks1732000009600 } from './1732000009600-delegation-checks';
import { PublishedReports1732000009700 } from './1732000009700-published-reports';
import { PublishedSnapshots1732000010100 } from './1732000010100-published-snapshots';
import { ApprovalOptions1732000010200 } from './1732000010200-approval-options';
import { NotApproved1732000010210 } from './1732000010210-not-approved';
import { CoApprovals1732000010220 } from './1732000010220-co-approvals';
import { ExternalReview1732000010230 } from './1732000010230-external-review';
import { NotificationSettings1732000010300 } from './1732000010300-notification-settings';
import { RecordRetention1732000010500 } from './1732000010500-record-retention';
import { PersonnelTransfers1732000010510 } from './1732000010510-personnel-transfers';
import { EntriesItemIndex1732000010700 } from './1732000010700-entries-item-index';
import { ReviewWaits1732000010800 } from './1732000010800-review-waits';
import { DelegationCarryOver1732000010900 } from './1732000010900-delegation-carry-over';
import { CycleRulesWhenOpen1732000010950 } from './1732000010950-cycle-rules-when-open';
import { DepartmentNames1732000011400 } from './1732000011400-department-names';
import { ScheduledOrgReforms1732000011410 } from './1732000011410-scheduled-org-reforms';
import { AuditChainPerTenant1732000011970 } from './1732000011970-audit-chain-per-tenant';
import { PublishedHeadCounts1732000011960 } from './1732000011960-published-head-counts';
import { PublishedItemRows1732000011500 } from './1732000011500-published-item-rows';
import { ReminderMailsTenantIndexes1732000011850 } from './1732000011850-reminder-mails-tenant-indexes';
import { FirstTenant, tenantsMigration } from './1732000011700-tenants';
import { Prefecture1732000011800 } from './1732000011800-prefecture';
import { TenantProfile1732000011900 } from './1732000011900-tenant-profile';

export type { FirstTenant };

/** Every migration in order; the CLI and the tests run this list (as the owner, DB_MIGRATION_USER). */
export function migrations(app: AppLogin, firstTenant: FirstTenant) {
  return [
    Organisation1732000000000,
    Cycles1732000002000,
    Approvals1732000003000,
    Reminders1732000004000,
    CycleRules1732000005000,
    PasswordChanged1732000006000,
    Forms1732000007000,
    PlanVersion1732000008000,
    InboxIndexes1732000009200,
    appRoleAuditChainMigration(app),
    PasswordChangeAndNotices1732000009400,
    Sessions1732000009500,
    DelegationChecks1732000009600,
    PublishedReports1732000009700,
    PublishedSnapshots1732000010100,
    ApprovalOptions1732000010200,
    NotApproved1732000010210,
    CoApprovals1732000010220,
    ExternalReview1732000010230,
    NotificationSettings1732000010300,
    RecordRetention1732000010500,
    PersonnelTransfers1732000010510,
    EntriesItemIndex1732000010700,
    ReviewWaits1732000010800,
    DelegationCarryOver1732000010900,
    CycleRulesWhenOpen1732000010950,
    DepartmentNames1732000011400,
    ScheduledOrgReforms1732000011410,
    PublishedItemRows1732000011500,
    tenantsMigration(firstTenant),
    Prefecture1732000011800,
    ReminderMailsTenantIndexes1732000011850,
    TenantProfile1732000011900,
    PublishedHeadCounts1732000011960,
    AuditChainPerTenant1732000011970,
  ];
}
