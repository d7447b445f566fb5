import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { contextTenantId, runInTenant } from './tenant-context';
import { fallbackTenantOf } from './typeorm-options';

/** A municipality as its mails and public pages present it (the tenants row). */
export interface TenantProfile {
  id: number;
  code: string | null;
  name: string;
  mailFrom: string | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  logoUrl: string | null;
  /** Raised by every edit (migration 1732000011900): a stale one is refused, and the logo's address carries it. */
  version: number;
  hasLogo: boolean;
  /** Read with the tenant's own row only (profile, updateOwn), not with every tenant's. */
  updatedAt?: Date | null;
  createdAt?: Date;
}

/** A municipality of a prefecture, as the prefecture reads it (tenants' policy tenant_read). */
export interface Municipality {
  id: number;
  code: string | null;
  name: string;
  /** Where its public site is served (its own host in a multi-tenant installation), or null. */
  publicUrl: string | null;
}

/** What a municipality edits of its own profile (TenantsService.updateOwn); undefined keeps, null clears. */
export interface TenantProfilePatch {
  name?: string;
  mailFrom?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  logo?: { bytes: Buffer; type: 'image/png' | 'image/svg+xml' } | null;
}

/** The address of a municipality's logo on this origin (libs/public-site's PublicLogoController), new with every version. */
export function logoPath(p: Pick<TenantProfile, 'id' | 'version' | 'hasLogo'>): string | null {
  return p.hasLogo ? `/public/logo/${p.id}?v=${p.version}` : null;
}

const PROFILE_COLUMNS = `id, code, name, mail_from AS "mailFrom", contact_name AS "contactName", contact_phone AS "contactPhone",
  contact_email AS "contactEmail", logo_url AS "logoUrl", version, logo IS NOT NULL AS "hasLogo", updated_at AS "updatedAt", created_at AS "createdAt"`;

/** The settings a municipality has of its own, under their AppConfig names (TenantsService.tenantConfig). */
export type TenantSettings = Pick<
  AppConfig,
  'MUNICIPALITY_NAME' | 'MUNICIPALITY_CODE' | 'MAIL_FROM' | 'PLANNING_CONTACT_NAME' | 'PLANNING_CONTACT_PHONE' | 'PLANNING_CONTACT_EMAIL'
>;

/** How often a multi-tenant process reads the municipalities' names, senders and contacts again. */
const PROFILES_EVERY_MS = 60_000;

/**
 * Owns the table `tenants` (migration 1732000011700): which municipality the running code works
 * for, and the few reads that cross tenants (the list of them, one by its code), through the
 * migration's SECURITY DEFINER functions: row-level security lets a tenant see only itself.
 */
@Injectable()
export class TenantsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TenantsService.name);
  private profiles = new Map<number, TenantProfile>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    // A single-city installation reads its one row too (an edited profile applies, see tenantConfig),
    // but never fails to boot over it: until then its configuration is what it has always used.
    if (this.config.TENANCY === 'multi') await this.readProfiles();
    else await this.readProfiles().catch((error: Error) => this.logger.warn(`tenant profile not read: ${error.message}`));
    this.timer = setInterval(() => this.readProfiles().catch((error: Error) => this.logger.warn(`tenants not read: ${error.message}`)), PROFILES_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * The configuration as the current municipality sees it: its name, code, mail sender and
   * contact in place of the installation's (those it left empty stay as configured). A single-city
   * installation (TENANCY=single) answers its configuration itself, as before tenants, until its
   * administrator edits the profile (version > 1): from then on the row is its own.
   * Synchronous (a mail footer, a public page header): the rows are read at boot and every minute,
   * and an edit is in place at once in the process that made it (remember).
   */
  tenantConfig(): AppConfig {
    const p = this.currentProfile();
    if (!p) return this.config;
    const own: Partial<TenantSettings> = {
      MUNICIPALITY_NAME: p.name,
      MUNICIPALITY_CODE: p.code ?? undefined,
      MAIL_FROM: p.mailFrom ?? undefined,
      PLANNING_CONTACT_NAME: p.contactName ?? undefined,
      PLANNING_CONTACT_PHONE: p.contactPhone ?? undefined,
      PLANNING_CONTACT_EMAIL: p.contactEmail ?? undefined,
    };
    const set = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined));
    return Object.assign(Object.create(this.config) as AppConfig, set);
  }

  /**
   * The current municipality's profile as mails and pages use it: with TENANCY=multi always, in a
   * single-city installation only once edited from the UI (version > 1; before, the configuration).
   */
  currentProfile(): TenantProfile | undefined {
    const id = this.current();
    const p = id === null ? undefined : this.profiles.get(id);
    if (!p || (this.config.TENANCY !== 'multi' && p.version <= 1)) return undefined;
    return p;
  }

  /** Every municipality's presentation (migration's app_tenant_profiles: names and contacts, no data). */
  async readProfiles(): Promise<void> {
    const rows: TenantProfile[] = await this.dataSource.query(
      `SELECT id, code, name, mail_from AS "mailFrom", contact_name AS "contactName", contact_phone AS "contactPhone",
              contact_email AS "contactEmail", logo_url AS "logoUrl", version, has_logo AS "hasLogo" FROM app_tenant_profiles()`,
    );
    const read = new Map(rows.map((r) => [r.id, r]));
    // An edit this process made after the read began stays (its version is the newer).
    for (const [id, mine] of this.profiles) if ((read.get(id)?.version ?? 0) < mine.version && read.has(id)) read.set(id, mine);
    this.profiles = read;
  }

  /** An edit committed by this process: in place at once here (other processes read it within a minute). */
  remember(profile: TenantProfile): void {
    const known = this.profiles.get(profile.id);
    const { updatedAt: _u, createdAt: _c, ...presented } = profile;
    if (!known || known.version <= profile.version) this.profiles.set(profile.id, presented);
  }

  /** The tenant statements now run as: the context's, else the single-city installation's; null for none. */
  current(): number | null {
    const tenant = contextTenantId();
    return tenant === undefined ? fallbackTenantOf(this.config) : tenant;
  }

  /** Every tenant's id, in order. */
  async ids(): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(`SELECT app_tenant_ids() AS id`);
    return rows.map((r) => r.id);
  }

  /** The tenant of a 全国地方公共団体コード, or null. */
  async byCode(code: string): Promise<number | null> {
    const [row] = await this.dataSource.query(`SELECT app_tenant_by_code($1) AS id`, [code]);
    return row?.id ?? null;
  }

  /** The current tenant's own row (null without a tenant); `lock` (in a transaction) holds it until commit. */
  async profile(em?: EntityManager, lock = false): Promise<TenantProfile | null> {
    const [row] = await (em ?? this.dataSource).query(`SELECT ${PROFILE_COLUMNS} FROM tenants WHERE id = app_tenant()${lock ? ' FOR UPDATE' : ''}`);
    return row ?? null;
  }

  /** Writes the current tenant's own profile in the caller's transaction, raising its version; the row after. */
  async updateOwn(em: EntityManager, patch: TenantProfilePatch): Promise<TenantProfile> {
    const sets: string[] = [];
    const params: unknown[] = [];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.name !== undefined) set('name', patch.name);
    if (patch.mailFrom !== undefined) set('mail_from', patch.mailFrom);
    if (patch.contactName !== undefined) set('contact_name', patch.contactName);
    if (patch.contactPhone !== undefined) set('contact_phone', patch.contactPhone);
    if (patch.contactEmail !== undefined) set('contact_email', patch.contactEmail);
    if (patch.logo !== undefined) {
      set('logo', patch.logo?.bytes ?? null);
      set('logo_type', patch.logo?.type ?? null);
    }
    const [[row]] = await em.query(
      `UPDATE tenants SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = app_tenant() RETURNING ${PROFILE_COLUMNS}`,
      params,
    );
    if (!row) throw new Error('no tenant to update: the request runs without one');
    return row;
  }

  /** A municipality's logo for its public address (any tenant's: a logo is as public as the name), or null; in `em`'s transaction when given. */
  async logo(id: number, em?: EntityManager): Promise<{ bytes: Buffer; type: string; version: number } | null> {
    const [row] = await (em ?? this.dataSource).query(`SELECT logo, logo_type AS type, version FROM app_tenant_logo($1)`, [id]);
    return row ? { bytes: row.logo, type: row.type, version: row.version } : null;
  }

  /**
   * The municipalities whose prefecture is the current tenant, by code (none for a municipality):
   * tenants' policy tenant_read lets a prefecture see exactly these rows.
   */
  async municipalities(): Promise<Municipality[]> {
    return this.dataSource.query(`SELECT id, code, name, public_url AS "publicUrl" FROM tenants WHERE prefecture_id = app_tenant() ORDER BY code, id`);
  }

  /**
   * Runs a job as the tenant it was queued for. A job without one (a scheduler's, or queued before
   * tenants existed) runs as the single-city installation's tenant, or, with TENANCY=multi, once
   * for every tenant in turn.
   */
  async runForJob<T>(tenantId: unknown, run: () => Promise<T>): Promise<T | T[]> {
    if (typeof tenantId === 'number') return runInTenant(tenantId, run);
    if (this.config.TENANCY === 'single') return run();
    const results: T[] = [];
    for (const id of await this.ids()) results.push(await runInTenant(id, run));
    return results;
  }

  /**
   * Runs `step` until it answers false (nothing more to do), as the job's tenant, or, a
   * scheduler's job with TENANCY=multi, as every tenant in turn: one step of each tenant per
   * round, the next round for those that had more, so one tenant's long work does not keep the
   * others waiting (the reminder relay: a municipality's 10,000 mails are queued 200 at a time
   * between the other municipalities' batches). Each step runs as its tenant (row-level security
   * applies; nothing crosses tenants).
   */
  async runInTurns(tenantId: unknown, step: () => Promise<boolean>): Promise<void> {
    if (typeof tenantId === 'number' || this.config.TENANCY === 'single') {
      await this.runForJob(tenantId, async () => {
        while (await step());
      });
      return;
    }
    let turn = await this.ids();
    while (turn.length) {
      const next: number[] = [];
      for (const id of turn) if (await runInTenant(id, step)) next.push(id);
      turn = next;
    }
  }
}
