import { Module } from '@nestjs/common';
import { DelegationLookupService } from './delegation-lookup.service';

/** Delegations' typed reads only: what notices and the transfer preview read of them. */
@Module({ providers: [DelegationLookupService], exports: [DelegationLookupService] })
export class DelegationLookupModule {}
