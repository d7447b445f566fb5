import { Module } from '@nestjs/common';
import { ItemLookupService } from './item-lookup.service';

/** Plan items' typed reads only: what reminders and personnel read of them. */
@Module({ providers: [ItemLookupService], exports: [ItemLookupService] })
export class ItemLookupModule {}
