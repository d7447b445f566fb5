import { Module } from '@nestjs/common';
import { ItemLookupService } from './item-lookup.service';

/** Reads of plan items for other libs (no controllers), so the worker may import it too. */
@Module({ providers: [ItemLookupService], exports: [ItemLookupService] })
export class ItemLookupModule {}
