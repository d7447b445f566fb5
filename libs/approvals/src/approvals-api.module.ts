import { Module } from '@nestjs/common';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsModule } from './approvals.module';
import { DelegationsController } from './delegations.controller';
import { ExternalReviewController } from './external-review.controller';

@Module({ imports: [ApprovalsModule], controllers: [ApprovalsController, DelegationsController, ExternalReviewController] })
export class ApprovalsApiModule {}
