import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/domain';

/** Whether `actor` may read entry `entryId` for a reason the entries module does not own. */
export type EntryReadGrant = (entryId: number, actor: Actor) => Promise<boolean>;

/**
 * Reasons beyond the organisation (canReadEntry) to read an entry, registered by the modules
 * that own them: approvals registers "it waits for you now, yourself or as 代決", so a delegate
 * from another department can read what they may approve. A registry rather than an import,
 * because approvals builds on entries and not the other way round.
 */
@Injectable()
export class EntryReadGrants {
  private readonly grants: EntryReadGrant[] = [];

  register(grant: EntryReadGrant): void {
    this.grants.push(grant);
  }

  async any(entryId: number, actor: Actor): Promise<boolean> {
    for (const grant of this.grants) if (await grant(entryId, actor)) return true;
    return false;
  }
}
