import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox's two hot reads per tenant (issue #20, fairness): the relay's due `pending` rows and
 * the count of a tenant's rows already queued (`enqueued`/`sending`, which ranks its new send jobs).
 * Under row-level security each runs as one tenant; the indexes before were over every tenant's
 * rows, so at 09:00 with 200 municipalities each tenant's relay walked the others' due rows to find
 * its own. Led by tenant_id, the policy's `tenant_id = (SELECT app_tenant())` is their index
 * condition. Owned by libs/reminders.
 */
export class ReminderMailsTenantIndexes1732000011850 implements MigrationInterface {
  name = 'ReminderMailsTenantIndexes1732000011850';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX reminder_mails_tenant_due_idx ON reminder_mails (tenant_id, send_at, id) WHERE status = 'pending';
      CREATE INDEX reminder_mails_tenant_open_idx ON reminder_mails (tenant_id, status) WHERE status IN ('enqueued', 'sending');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reminder_mails_tenant_open_idx; DROP INDEX reminder_mails_tenant_due_idx;`);
  }
}
