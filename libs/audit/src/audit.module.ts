import { Global, Module } from '@nestjs/common';
import { OrgLookupModule } from '@app/org/org-lookup.module';
import { AuditChainService } from './audit-chain.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

@Global()
@Module({ imports: [OrgLookupModule], providers: [AuditService, AuditChainService], exports: [AuditService, AuditChainService] })
export class AuditModule {}

/** GET /api/audit/verify, for the api only. */
@Module({ controllers: [AuditController] })
export class AuditApiModule {}
