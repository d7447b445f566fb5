import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigFromProcess } from '@app/config';
import { runInTenant, tenantConnectionOptions, typeOrmOptions } from '@app/database';
import { AuditChainService } from './audit-chain.service';

/**
 * `npm run audit:verify` (or audit:verify:dist on the built image): recomputes the audit log's
 * hash chain and prints the first broken link; exit code 1 if there is one, 2 if it could not run.
 * Reads as the application's login (DB_USER), which may SELECT the log.
 */
async function main(): Promise<number> {
  const config = loadConfigFromProcess();
  const dataSource = new DataSource({
    ...typeOrmOptions(config),
    extra: { ...tenantConnectionOptions(config), max: 1, application_name: 'hyoka-audit-verify' },
  });
  await dataSource.initialize();
  try {
    const chains = new AuditChainService(dataSource, config);
    // Each municipality has its own chain: a single-city installation verifies its one, a
    // multi-tenant one every tenant's in turn (app_tenant_ids: the ids, nothing of their rows).
    const tenants: number[] = config.TENANCY === 'multi' ? (await dataSource.query(`SELECT app_tenant_ids() AS id`)).map((r: { id: number }) => r.id) : [];
    let broken = 0;
    for (const tenant of tenants.length ? tenants : [null]) {
      const report = tenant === null ? await chains.verify() : await runInTenant(tenant, () => chains.verify());
      const who = tenant === null ? '' : `団体 ${tenant}: `;
      if (report.ok) {
        console.log(`${who}監査ログのチェーンは正常です: ${report.checked} 行を検証しました。`);
        if (report.head) console.log(`  先頭: 連番 ${report.head.chainSeq}（id ${report.head.id}） ハッシュ ${report.head.hash}`);
        continue;
      }
      broken++;
      const b = report.firstBreak!;
      console.log(`${who}監査ログのチェーンが壊れています（${b.problem}）: ${b.message}`);
      console.log(`  行 id: ${b.id ?? '-'}  連番: ${b.chainSeq ?? '-'}`);
      if (b.expected !== undefined) console.log(`  期待値: ${b.expected}\n  実際:   ${b.actual}`);
    }
    return broken ? 1 : 0;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error('監査ログを検証できませんでした:', error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
