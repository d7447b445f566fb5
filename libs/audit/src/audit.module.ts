import { Global, Module } from '@nestjs/common';
import { OrgDirectoryModule } from '@app/org/directory/org-directory.module';
import { AuditChainService } from './audit-chain.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditReads } from './audit-reads.service';

@Global()
@Module({ imports: [OrgDirectoryModule], providers: [AuditService, AuditChainService, AuditReads], exports: [AuditService, AuditChainService, AuditReads] })
export class AuditModule {}

/** GET /api/audit/verify, for the api only. */
@Module({ controllers: [AuditController] })
export class AuditApiModule {}
