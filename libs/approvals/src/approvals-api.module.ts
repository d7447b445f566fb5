import { Module } from '@nestjs/common';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsModule } from './approvals.module';
import { DelegationsController } from './delegations.controller';

@Module({ imports: [ApprovalsModule], controllers: [ApprovalsController, DelegationsController] })
export class ApprovalsApiModule {}
