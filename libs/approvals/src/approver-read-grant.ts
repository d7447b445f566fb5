import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EntryReadGrants } from '@app/entries';
import { ApprovalRoutingService } from './approval-routing.service';

/**
 * Whoever an entry waits for may read it: a delegate (代決) from another department, or the
 * department head or planning when the evaluator step fell to them. Without this they would
 * approve blind (the bulk approval works without reading). Whoever approved or returned it
 * keeps reading it afterwards: they answer for that decision.
 */
@Injectable()
export class ApproverReadGrant implements OnModuleInit {
  constructor(
    private readonly grants: EntryReadGrants,
    private readonly routing: ApprovalRoutingService,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const em = this.dataSource.manager;
    this.grants.register(async (entryId, actor) => (await this.routing.mayActNow(em, entryId, actor)) || this.routing.hasDecided(em, entryId, actor.id));
  }
}
