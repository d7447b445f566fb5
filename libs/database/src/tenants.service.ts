import { Injectable } from '@nestjs/common';
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

/**
 * Owns the table `tenants` (migration 1732000011700): which municipality the running code works
 * for, and the few reads that cross tenants (the list of them, one by its code), through the
 * migration's SECURITY DEFINER functions: row-level security lets a tenant see only itself.
 */
@Injectable()
export class TenantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

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
}
