import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminder outbox. reminder_slots are written in the cycle-open transaction (one row per
 * cycle, audience and send time); the relay fans each due slot out into reminder_mails, one
 * row per recipient and send time, which the sender works through. The unique keys make every
 * step safe to repeat.
 */
export class Reminders1732000004000 implements MigrationInterface {
  name = 'Reminders1732000004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reminder_slots (
        id bigserial PRIMARY KEY,
        cycle_id integer NOT NULL REFERENCES cycles(id),
        audience text NOT NULL CHECK (audience IN ('submit','review')),
        kind text NOT NULL CHECK (kind IN ('before','on_deadline','overdue')),
        deadline date NOT NULL,
        business_days_from_deadline integer NOT NULL,
        send_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','fanned_out')),
        fanned_out_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cycle_id, audience, send_at)
      );
      CREATE INDEX reminder_slots_due_idx ON reminder_slots(send_at) WHERE status = 'pending';
      CREATE INDEX reminder_slots_send_at_idx ON reminder_slots(send_at);
      CREATE TABLE reminder_mails (
        id bigserial PRIMARY KEY,
        recipient_user_id integer NOT NULL REFERENCES users(id),
        kind text NOT NULL CHECK (kind IN ('digest','returned')),
        slot_key text NOT NULL,
        send_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending','enqueued','sending','sent','failed','cancelled')),
        entry_id integer REFERENCES entries(id),
        comment text,
        cc_user_ids integer[] NOT NULL DEFAULT '{}',
        entry_ids integer[] NOT NULL DEFAULT '{}',
        subject text,
        message_id text,
        attempts integer NOT NULL DEFAULT 0,
        job_id text,
        last_error text,
        resent_from_id bigint REFERENCES reminder_mails(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        enqueued_at timestamptz,
        claimed_at timestamptz,
        sent_at timestamptz,
        UNIQUE (recipient_user_id, kind, slot_key)
      );
      CREATE INDEX reminder_mails_due_idx ON reminder_mails(send_at) WHERE status = 'pending';
      CREATE INDEX reminder_mails_open_idx ON reminder_mails(status) WHERE status IN ('enqueued','sending');
      CREATE INDEX reminder_mails_send_at_idx ON reminder_mails(send_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reminder_mails; DROP TABLE reminder_slots;`);
  }
}
