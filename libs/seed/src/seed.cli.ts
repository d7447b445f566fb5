import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigFromProcess } from '@app/config';
import { SeedAppModule } from './seed-app.module';
import { SeedHistoryService } from './seed-history.service';
import { DEMO_PASSWORD, SeedService, SeedSummary } from './seed.service';

/** `npm run seed`: demo data into the configured (already migrated) database. */
async function main(): Promise<void> {
  const config = loadConfigFromProcess();
  // Demo users all have the password "password": a production database gets them only on purpose.
  if (config.NODE_ENV === 'production' && !config.DEMO_MODE) {
    throw new Error(
      'NODE_ENV=production: デモデータ（パスワード "password" の利用者）は投入しません。デモ環境として公開するなら DEMO_MODE=true を設定してください',
    );
  }
  const app = await NestFactory.createApplicationContext(SeedAppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    const summary = await app.get(SeedService).seed();
    console.log(formatSummary(summary));
    const history = await app.get(SeedHistoryService).seed();
    console.log(`  テンプレート: ${history.templatesCreated} 件追加、${history.formsAdded} 件に様式を設定`);
    console.log(`  サイクル: ${history.cyclesCreated} 件追加 (公表資料の評価を取込み、今期の半期サイクルを受付中に)`);
  } finally {
    await app.close();
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
    line('指標', s.kpis),
    `ログイン: admin / planning / eval-<部コード> / chief-<課コード> / staff-<課コード> / sanji-<部コード> (パスワードはすべて "${DEMO_PASSWORD}")`,
  ].join('\n');
}

if (require.main === module) {
  main().catch((error) => {
    console.error('デモデータの投入に失敗しました:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
