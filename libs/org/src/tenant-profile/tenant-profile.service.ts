import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { logoPath, TenantProfile, TenantProfilePatch, TenantsService } from '@app/database';
import { TENANT_PROFILE_FIELDS, tenantProfileProblems, type Actor, type TenantProfileField } from '@app/domain';
import { checkLogo } from './logo-file';
import { TenantProfileDto, UpdateTenantProfileDto } from './tenant-profile.dto';

/**
 * A municipality's own profile (団体設定), edited by its administrators: every change under a row
 * lock against the version read (409 on a stale one), audited as `tenant.update` with the fields
 * before and after (the logo by its type, size and SHA-256), and in place at once for this
 * process's mails and pages (TenantsService.remember; other processes within a minute).
 */
@Injectable()
export class TenantProfileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async get(): Promise<TenantProfileDto> {
    const row = await this.tenants.profile();
    if (!row) throw DomainError.notFound('団体', '(未選択)');
    return this.view(row);
  }

  async update(dto: UpdateTenantProfileDto, actor: Actor): Promise<TenantProfileDto> {
    const given: Partial<Record<TenantProfileField, string | null>> = {};
    for (const field of TENANT_PROFILE_FIELDS) if (dto[field] !== undefined) given[field] = dto[field];
    const [problem] = tenantProfileProblems(given);
    if (problem) throw DomainError.invalid(problem.field, problem.message);
    const patch: TenantProfilePatch = {};
    for (const [field, value] of Object.entries(given) as [TenantProfileField, string | null][]) {
      const text = value === null ? null : value.trim() || null;
      if (field === 'name') patch.name = text!;
      else patch[field] = text;
    }
    return this.write(dto.version, patch, actor);
  }

  async replaceLogo(file: { buffer: Buffer } | undefined, version: number, actor: Actor): Promise<TenantProfileDto> {
    if (!file) throw DomainError.invalid('file', 'ロゴの画像ファイルを選んでください');
    const check = checkLogo(file.buffer);
    if (!check.ok) throw DomainError.invalid('file', check.reason);
    return this.write(version, { logo: { bytes: file.buffer, type: check.type } }, actor);
  }

  removeLogo(version: number, actor: Actor): Promise<TenantProfileDto> {
    return this.write(version, { logo: null }, actor);
  }

  private async write(version: number, patch: TenantProfilePatch, actor: Actor): Promise<TenantProfileDto> {
    const after = await this.dataSource.transaction(async (em) => {
      const before = await this.tenants.profile(em, true);
      if (!before) throw DomainError.notFound('団体', '(未選択)');
      if (before.version !== version)
        throw DomainError.conflict('団体の設定は他の管理者によって更新されています。再読み込みしてから変更してください', {
          field: 'version',
          currentVersion: before.version,
        });
      const logoBefore = patch.logo !== undefined ? await this.logoFacts(em, before) : undefined;
      const row = await this.tenants.updateOwn(em, patch);
      const changed = Object.keys(patch).filter((k) => k !== 'logo') as (keyof TenantProfile)[];
      const pick = (p: TenantProfile) => Object.fromEntries(changed.map((k) => [k, p[k]]));
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'tenant.update',
        subjectType: 'tenant',
        subjectId: row.id,
        before: { ...pick(before), ...(logoBefore !== undefined ? { logo: logoBefore } : {}), version: before.version },
        after: { ...pick(row), ...(patch.logo !== undefined ? { logo: patch.logo && facts(patch.logo) } : {}), version: row.version },
      });
      return row;
    });
    this.tenants.remember(after);
    return this.view(after);
  }

  /** On the transaction's own connection: another from the pool could wait for ever on a pool of one. */
  private async logoFacts(em: EntityManager, before: TenantProfile): Promise<ReturnType<typeof facts> | null> {
    if (!before.hasLogo) return null;
    const logo = await this.tenants.logo(before.id, em);
    return logo && facts({ bytes: logo.bytes, type: logo.type });
  }

  private view(row: TenantProfile): TenantProfileDto {
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      mailFrom: row.mailFrom,
      contactName: row.contactName,
      contactPhone: row.contactPhone,
      contactEmail: row.contactEmail,
      logoUrl: logoPath(row),
      version: row.version,
      inEffect: this.config.TENANCY === 'multi' || row.version > 1,
      updatedAt: row.updatedAt ? new Date(row.updatedAt).toISOString() : null,
      createdAt: new Date(row.createdAt ?? Date.now()).toISOString(),
    };
  }
}

/** A logo as the audit row names it: never its bytes. */
function facts(logo: { bytes: Buffer; type: string }) {
  return { type: logo.type, bytes: logo.bytes.length, sha256: createHash('sha256').update(logo.bytes).digest('hex') };
}
