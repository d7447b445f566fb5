import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { DomainError } from '@app/common';
import { contextTenantId, runInTenant } from '@app/database';
import { AuditService } from '@app/audit';
import { Actor, BUILTIN_SCALES, RatingScale, validateScale } from '@app/domain';
import { RatingScaleRow } from './entities/rating-scale.entity';

/**
 * The built-in scales (libs/domain) into the current tenant's rating_scales: inserted when
 * missing, brought up to the code's definition when it changed, untouched when the same. For the
 * service at boot and for the owner's tenant:create, which has no Nest application (the DataSource
 * or a transaction's EntityManager).
 */
export async function mirrorBuiltinScales(q: Pick<EntityManager, 'query'>): Promise<void> {
  for (const scale of Object.values(BUILTIN_SCALES)) {
    await q.query(
      `INSERT INTO rating_scales (code, name, options, reason_required_for, builtin)
       VALUES ($1, $2, $3, $4, true)
       ON CONFLICT (tenant_id, code) DO UPDATE SET name = EXCLUDED.name, options = EXCLUDED.options,
         reason_required_for = EXCLUDED.reason_required_for, builtin = true
       WHERE (rating_scales.name, rating_scales.options, rating_scales.reason_required_for, rating_scales.builtin)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.options, EXCLUDED.reason_required_for, true)`,
      [scale.code, scale.name, JSON.stringify(scale.options), scale.reasonRequiredFor],
    );
  }
}

/** Built-in scales are defined in code (libs/domain) and mirrored into the table at boot. */
@Injectable()
export class RatingScalesService implements OnModuleInit {
  private readonly builtin = new Map<string, RatingScale>(Object.values(BUILTIN_SCALES).map((s) => [s.code, s]));
  /** A municipality's own scales, once read: keyed by tenant too, as each has its own. */
  private readonly known = new Map<string, RatingScale>();

  constructor(
    @InjectRepository(RatingScaleRow) private readonly scales: Repository<RatingScaleRow>,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Every tenant's copy of the built-in scales (templates reference their own tenant's). */
  async onModuleInit(): Promise<void> {
    const tenants: { id: number }[] = await this.dataSource.query(`SELECT app_tenant_ids() AS id`);
    for (const { id } of tenants) await runInTenant(id, () => this.mirrorBuiltins());
  }

  /** The built-in scales into the current tenant's table (a new tenant's too). */
  async mirrorBuiltins(): Promise<void> {
    await mirrorBuiltinScales(this.dataSource);
  }

  async list(): Promise<RatingScale[]> {
    const rows = await this.scales.find({ order: { builtin: 'DESC', code: 'ASC' } });
    return rows.map(toScale);
  }

  /** Pass the caller's EntityManager inside a transaction: a second pool connection can starve the pool. */
  async get(code: string, em?: EntityManager): Promise<RatingScale> {
    // Scales never change once written (no update endpoint; built-ins come from code), so a
    // scale read once is kept: every entry change needs one, and a round trip is not free.
    const key = `${contextTenantId() ?? ''}:${code}`;
    const known = this.builtin.get(code) ?? this.known.get(key);
    if (known) return known;
    const row = await (em ? em.getRepository(RatingScaleRow) : this.scales).findOneBy({ code });
    if (!row) throw DomainError.notFound('評価尺度', code);
    const scale = toScale(row);
    this.known.set(key, scale);
    return scale;
  }

  async create(scale: RatingScale, actor: Actor): Promise<RatingScale> {
    const errors = validateScale(scale);
    if (errors.length) throw DomainError.invalid('options', errors.join('; '));
    return this.dataSource.transaction(async (em) => {
      if (await em.existsBy(RatingScaleRow, { code: scale.code })) {
        throw new DomainError('conflict', `評価尺度 ${scale.code} は既に存在します`, { field: 'code' });
      }
      await em.insert(RatingScaleRow, { ...scale, builtin: false });
      await this.audit.record(em, {
        actorUserId: actor.id,
        action: 'scale.create',
        subjectType: 'scale',
        subjectId: scale.code,
        after: scale,
      });
      return scale;
    });
  }
}

function toScale(row: RatingScaleRow): RatingScale {
  return { code: row.code, name: row.name, options: row.options, reasonRequiredFor: row.reasonRequiredFor };
}
