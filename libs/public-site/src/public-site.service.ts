import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { PublishedHead, PublishedReportsService, PublishedVersion, SnapshotEntry } from '@app/reports';
import { itemHistory } from './domain/item-history';
import { buildMatrix } from './domain/matrix';
import { byPeriod } from './domain/publications';
import type { MunicipalityListing } from './html/municipalities-page';
import type { SiteInfo } from './html/site-page';
import { logoPath, TenantsService } from '@app/database';

/** How many of each municipality's latest publications the prefecture's index lists. */
const LATEST_PER_MUNICIPALITY = 3;

/**
 * What the public site shows, read only from frozen publications (PublishedReportsService's
 * snapshots): never a live table, so nothing unpublished can appear. Each method answers null
 * for what was never published (the controller's 404).
 */
@Injectable()
export class PublicSiteService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly published: PublishedReportsService,
    private readonly config: AppConfig,
  ) {}

  site(): SiteInfo & { municipalityCode: string; publicUrl: string } {
    // The municipality of the request (X-Tenant), as it names itself; the configuration's in a single-city installation.
    const own = this.tenants.tenantConfig();
    const profile = this.tenants.currentProfile();
    return {
      municipalityName: own.MUNICIPALITY_NAME,
      logoUrl: profile ? logoPath(profile) : null,
      municipalityCode: own.MUNICIPALITY_CODE,
      licenseName: this.config.OPEN_DATA_LICENSE,
      licenseUrl: this.config.OPEN_DATA_LICENSE_URL,
      publicUrl: this.config.PUBLIC_URL.replace(/\/+$/, ''),
    };
  }

  /** Every plan with the latest publication of each of its cycles (heads and counts: no entries are read). */
  async index(): Promise<{ id: number; name: string; latest: PublishedHead[] }[]> {
    const [plans, latest] = await Promise.all([this.published.plans(), this.published.latestHeads()]);
    return plans
      .map((p) => ({ ...p, latest: latest.filter((v) => v.snapshot.plan.id === p.id) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'ja') || a.id - b.id);
  }

  async plan(planId: number) {
    const latest = await this.published.versions({ planId, latestOnly: true });
    if (latest.length === 0) return null;
    const name = [...latest].sort((a, b) => +new Date(a.publishedAt) - +new Date(b.publishedAt)).pop()!.snapshot.plan.name;
    return { id: planId, name, matrix: buildMatrix(latest) };
  }

  /** A cycle's latest publication and the list of all its versions. */
  async cycle(cycleId: number): Promise<{ latest: PublishedVersion; versions: PublishedVersion[] } | null> {
    const versions = (await this.published.versions({ cycleId })).sort((a, b) => a.version - b.version);
    return versions.length ? { latest: versions[versions.length - 1], versions } : null;
  }

  /** A cycle published without a snapshot (before the public site existed): only its printable report is public. */
  legacyCycle(cycleId: number): Promise<boolean> {
    return this.published.hasLegacyPublication(cycleId);
  }

  async item(itemId: number) {
    const planId = await this.published.planOfItem(itemId);
    if (planId === null) return null;
    // Only the item's own rows of each publication: the plan's whole snapshots are never read for one item.
    const latest = await this.published.itemVersions(planId, itemId);
    const { periods, kpis } = itemHistory(latest, itemId);
    if (periods.length === 0) return null;
    const newest: SnapshotEntry = [...periods].sort((a, b) => byPeriod(a.version, b.version)).pop()!.entries[0];
    return { itemId, planId, newest, periods, kpis };
  }

  /** Whether the tenant is a prefecture with municipalities (its index links to their listing). */
  async hasMunicipalities(): Promise<boolean> {
    return (await this.tenants.municipalities()).length > 0;
  }

  /**
   * A prefecture's municipalities, each with its latest publications (LATEST_PER_MUNICIPALITY):
   * null for a tenant that has none (a municipality: the page does not exist there).
   */
  async municipalities(): Promise<MunicipalityListing[] | null> {
    const municipalities = await this.tenants.municipalities();
    if (municipalities.length === 0) return null;
    const latest = await this.published.latestOfMunicipalities(LATEST_PER_MUNICIPALITY);
    return municipalities.map((m) => ({
      code: m.code,
      name: m.name,
      publicUrl: m.publicUrl,
      latest: latest.filter((p) => p.tenantId === m.id),
    }));
  }

  /** All versions of a plan's publications, for its feeds. */
  async planVersions(planId: number): Promise<PublishedVersion[]> {
    return this.published.versions({ planId });
  }
}
