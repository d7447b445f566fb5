import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Review reminders from when an entry starts waiting at a step (libs/reminders owns both
 * tables): review_waits keeps, per entry, the day its current wait began and the deadline its
 * approver's reminders count from (the cycle's review deadline, or a minimum number of business
 * days from the wait when that is later). Review slots of one cycle may now fall in the same
 * hour for different deadlines, so a slot is unique per deadline too.
 */
export class ReviewWaits1732000010800 implements MigrationInterface {
  name = 'ReviewWaits1732000010800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_waits (
        entry_id integer PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        cycle_id integer NOT NULL REFERENCES cycles(id) ON DELETE CASCADE,
        entry_version integer NOT NULL,
        since date NOT NULL,
        deadline date NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX review_waits_cycle_idx ON review_waits(cycle_id, deadline);
      ALTER TABLE reminder_slots DROP CONSTRAINT reminder_slots_cycle_id_audience_send_at_key;
      ALTER TABLE reminder_slots ADD CONSTRAINT reminder_slots_cycle_audience_deadline_send_at_key UNIQUE (cycle_id, audience, deadline, send_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM reminder_slots a USING reminder_slots b
       WHERE a.cycle_id = b.cycle_id AND a.audience = b.audience AND a.send_at = b.send_at AND a.id > b.id;
      ALTER TABLE reminder_slots DROP CONSTRAINT reminder_slots_cycle_audience_deadline_send_at_key;
      ALTER TABLE reminder_slots ADD CONSTRAINT reminder_slots_cycle_id_audience_send_at_key UNIQUE (cycle_id, audience, send_at);
      DROP TABLE review_waits;
    `);
  }
}
