import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 保存期間 of the record a closed cycle leaves (the ZIP of libs/reports' CycleRecordService),
 * chosen per template; the disposal date is computed from it and the closing date
 * (libs/domain/src/records/retention.ts), so nothing else is stored.
 */
export class RecordRetention1732000010500 implements MigrationInterface {
  name = 'RecordRetention1732000010500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cycle_templates ADD COLUMN retention_class text NOT NULL DEFAULT '5y'
        CHECK (retention_class IN ('1y','3y','5y','10y','30y','permanent'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cycle_templates DROP COLUMN retention_class`);
  }
}
