import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { installJwtSecretFromProcess, loadConfigFromProcess } from '@app/config';
import { migrationOptions, runInTenant, SINGLE_CITY_TENANT_ID } from '@app/database';
import { createFirstAdministrator, reportFirstAdministrator } from './first-administrator';

/**
 * The production installer (`npm run install:production`, run by `scripts/up.sh --production`
 * and docker-compose's migrate service): the signing key file if there is none, the
 * migrations, and the first administrator. No demo data. Progress goes to stderr; the one
 * credential goes to stdout once, as ADMIN_LOGIN= / ADMIN_ONE_TIME_PASSWORD= lines, so the
 * caller can show it without writing it to a log. Idempotent: a second run adds nothing.
 *
 *   --email <address>   the first administrator's mail address (lock notices go there)
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const emailAt = args.indexOf('--email');
  const email = emailAt >= 0 ? (args[emailAt + 1] ?? '') : '';
  const key = installJwtSecretFromProcess();
  if (key) console.error(key.created ? `署名鍵を生成しました / signing key generated: ${key.path} (0600)` : `署名鍵 / signing key: ${key.path} (kept)`);
  const config = loadConfigFromProcess();
  // The installer migrates, so it logs in as the tables' owner (DB_MIGRATION_USER), like migration:run.
  const dataSource = new DataSource(migrationOptions(config));
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    console.error(ran.length ? `migrations: ${ran.map((m) => m.name).join(', ')}` : 'migrations: none pending');
    // Tenant 1's: the installation's own municipality (another's first administrator comes with tenant:create).
    reportFirstAdministrator(await runInTenant(SINGLE_CITY_TENANT_ID, () => createFirstAdministrator(dataSource, config, email)));
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error('インストールに失敗しました / install failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
