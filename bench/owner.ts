import type { AppConfig } from '@app/config';
import { adminClient } from '../test/utils/test-database';

/**
 * ANALYZE (or VACUUM ANALYZE) as the tables' owner. The application's role may not analyse the
 * tables (PostgreSQL skips each with a warning), so a bench that did it as that role measured
 * its fresh rows without statistics: plans the production database, analysed by autovacuum,
 * would not choose.
 */
export async function analyzeAsOwner(config: AppConfig, statement = 'ANALYZE'): Promise<void> {
  const owner = await adminClient(config, config.DB_NAME);
  try {
    await owner.query(statement);
  } finally {
    await owner.end();
  }
}
