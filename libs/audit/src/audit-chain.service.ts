import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { CHAIN_LINK_COLUMNS, ChainBreak, ChainLink, ChainWalker } from './audit-chain';

/** Rows read per round trip while verifying: memory stays flat however long the log is. */
const BATCH = 5000;

export interface ChainReport {
  ok: boolean;
  /** Rows whose link was checked (up to and including the first broken one). */
  checked: number;
  /** Rows this verification sealed first (their writers found the chain head taken). */
  sealedNow: number;
  /** Rows committed after that and not yet sealed (not checked; the next sealer chains them). */
  pending: number;
  /** The last link that checked out: note it down, and a later rewrite of the whole tail shows. */
  head: { chainSeq: string; id: string; hash: string } | null;
  firstBreak: ChainBreak | null;
}

/** Verifies the audit log's hash chain (sealed by the database at each commit). */
@Injectable()
export class AuditChainService implements OnApplicationBootstrap {
  private readonly logger = new Logger('audit');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Seals what is pending, then walks the current municipality's chain in one consistent snapshot
   * (with its chain head of that snapshot) and reports the first broken link.
   */
  async verify(): Promise<ChainReport> {
    // Rows whose writers found the chain head taken are still unsealed: seal them first.
    const [{ sealed }] = await this.dataSource.query(`SELECT audit_log_seal_pending(true) AS sealed`);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      const walker = new ChainWalker();
      let after = '0';
      for (;;) {
        const rows: (ChainLink & { hash: string | null })[] = await runner.query(
          `SELECT ${CHAIN_LINK_COLUMNS} FROM audit_log WHERE chain_seq > $1 ORDER BY chain_seq LIMIT $2`,
          [after, BATCH],
        );
        for (const row of rows) if (!walker.step(row)) break;
        if (walker.firstBreak || rows.length < BATCH) break;
        after = rows[rows.length - 1].chainSeq;
      }
      // The municipality's own chain (one per tenant, migration 1732000011970); none yet: empty.
      const [head] = await runner.query(
        `SELECT last_seq::text AS "lastSeq", encode(last_hash, 'hex') AS "lastHash" FROM audit_chain_head WHERE tenant_id = app_tenant()`,
      );
      walker.finish(head ?? { lastSeq: '0', lastHash: null });
      // Committed since the sealing above: chained by the next sealer, not a break.
      const [{ pending }] = await runner.query(`SELECT count(*)::int AS pending FROM audit_log WHERE chain_seq IS NULL`);
      await runner.commitTransaction();
      return { ok: !walker.firstBreak, checked: walker.checked, sealedNow: sealed, pending, head: walker.head, firstBreak: walker.firstBreak };
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }

  /**
   * The chain only means something if this login cannot rewrite it: logged in as the tables'
   * owner or a superuser, the application could. A warning in development, refused in production.
   */
  async onApplicationBootstrap(): Promise<void> {
    const [role] = await this.dataSource.query(
      `SELECT current_user AS name, r.rolsuper OR pg_has_role(current_user, c.relowner, 'USAGE') AS "canRewrite"
         FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'audit_log'::regclass`,
    );
    if (!role?.canRewrite) return;
    const message = `the database login ${role.name} (DB_USER) owns audit_log or is a superuser, so it could rewrite the audit log: set DB_USER to the application role and DB_MIGRATION_USER to the owner`;
    if (this.config.NODE_ENV === 'production') throw new Error(message);
    this.logger.warn(message);
  }
}
