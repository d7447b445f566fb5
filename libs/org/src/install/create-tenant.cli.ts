import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { loadConfigFromProcess } from '@app/config';
import { migrationOptions } from '@app/database';
import { createTenant, TENANT_INPUT_OPTIONS, TenantInput } from './create-tenant';
import { reportFirstAdministrator } from './first-administrator';

/**
 * The operator's command for a new municipality (`npm run tenant:create`, `tenant:create:dist` in
 * the image; docs/tenancy.md "Adding a tenant"): as the tables' owner (DB_MIGRATION_USER), the
 * tenants row, its built-in rating scales and its first administrator `admin` with a one-time
 * password. Progress goes to stderr; the credential to stdout once, as TENANT_ID= /
 * ADMIN_LOGIN= / ADMIN_ONE_TIME_PASSWORD= lines, like install:production. Idempotent: the same
 * code again adds nothing (exit 0); the same code with another name is refused (exit 1).
 *
 *   --code <地方公共団体コード>   6 digits with the check digit (required)
 *   --name <団体名>               (required)
 *   --mail-from, --contact-name, --contact-phone, --contact-email   the profile (団体設定 edits them later)
 *   --prefecture <コード>         the prefecture (a tenant already) the municipality belongs to
 *   --public-url <URL>            where its public site is served
 *   --email <address>             the first administrator's mail address
 */
async function main(): Promise<void> {
  const options = Object.fromEntries(Object.values(TENANT_INPUT_OPTIONS).map((o) => [o.slice(2), { type: 'string' as const }]));
  const { values } = parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false });
  const input = Object.fromEntries(
    (Object.entries(TENANT_INPUT_OPTIONS) as [keyof TenantInput, string][]).map(([key, option]) => [key, values[option.slice(2)]]),
  ) as unknown as TenantInput;
  const config = loadConfigFromProcess();
  // The application's role may not insert tenants: the owner does, like migration:run.
  const dataSource = new DataSource(migrationOptions(config));
  await dataSource.initialize();
  try {
    if (await dataSource.showMigrations())
      throw new Error('未適用のマイグレーションがあります。先に npm run migration:run を実行してください / migrations pending: run them first');
    const made = await createTenant(dataSource, config, input);
    const who = `${made.code} ${made.name}（団体ID ${made.tenantId}）`;
    console.error(made.created ? `団体を登録しました / tenant created: ${who}` : `団体は登録済みです / tenant exists: ${who}`);
    if (made.admin) {
      if (config.TENANCY !== 'multi') console.error('複数の団体で使うには TENANCY=multi を設定し、api と worker を再起動してください / set TENANCY=multi');
      console.error(`ログイン: 団体コード ${made.code}（URL に ?t=${made.code}）で ${made.admin.login} / sign in with X-Tenant: ${made.code}`);
      console.log(`TENANT_ID=${made.tenantId}`);
    }
    reportFirstAdministrator(made.admin);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error('団体の登録に失敗しました / tenant:create failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
