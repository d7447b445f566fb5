import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { loadConfigFromProcess } from '@app/config';
import { typeOrmOptions } from '@app/database';
import { DEMO_PASSWORD, SeedService, SeedSummary } from './seed.service';

/** `npm run seed`: demo data into the configured (already migrated) database. */
async function main(): Promise<void> {
  const config = loadConfigFromProcess();
  const dataSource = new DataSource(typeOrmOptions(config));
  await dataSource.initialize();
  try {
    const summary = await new SeedService(dataSource, new AuditService(dataSource), config).seed();
    console.log(formatSummary(summary));
  } finally {
    await dataSource.destroy();
  }
}

export function formatSummary(s: SeedSummary): string {
  const line = (label: string, c: { created: number; total: number }) => `  ${label}: ${c.created} 件追加 (合計 ${c.total} 件)`;
  return [
    'デモデータを投入しました。',
    line('部', s.departments),
    line('課', s.sections),
    line('ユーザー', s.users),
    line('計画', s.plans),
    line('項目', s.items),
    `ログイン: admin / planning / eval-<部コード> / chief-<課コード> / staff-<課コード> (パスワードはすべて "${DEMO_PASSWORD}")`,
  ].join('\n');
}

if (require.main === module) {
  main().catch((error) => {
    console.error('デモデータの投入に失敗しました:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
