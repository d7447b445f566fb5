import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
}

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
    if (this.config.TENANCY !== 'multi') return;
    await this.readProfiles();
    this.timer = setInterval(() => this.readProfiles().catch((error: Error) => this.logger.warn(`tenants not read: ${error.message}`)), PROFILES_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * The configuration as the current municipality sees it: its name, code, mail sender and
   * contact in place of the installation's (those it left empty stay as configured). A single-city
   * installation (TENANCY=single) answers its configuration itself, exactly as before tenants.
   * Synchronous (a mail footer, a public page header): the rows are read at boot and every minute.
   */
  tenantConfig(): AppConfig {
    const id = this.config.TENANCY === 'multi' ? this.current() : null;
    const p = id === null ? undefined : this.profiles.get(id);
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

  /** Every municipality's presentation (migration's app_tenant_profiles: names and contacts, no data). */
  async readProfiles(): Promise<void> {
    const rows: TenantProfile[] = await this.dataSource.query(
      `SELECT id, code, name, mail_from AS "mailFrom", contact_name AS "contactName", contact_phone AS "contactPhone",
              contact_email AS "contactEmail", logo_url AS "logoUrl" FROM app_tenant_profiles()`,
    );
    this.profiles = new Map(rows.map((r) => [r.id, r]));
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

  /** The current tenant's own row (null without a tenant). */
  async profile(): Promise<TenantProfile | null> {
    const [row] = await this.dataSource.query(
      `SELECT id, code, name, mail_from AS "mailFrom", contact_name AS "contactName", contact_phone AS "contactPhone",
              contact_email AS "contactEmail", logo_url AS "logoUrl"
         FROM tenants WHERE id = app_tenant()`,
    );
    return row ?? null;
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
