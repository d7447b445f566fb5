import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * users.password_change_required: a password an administrator set (create, reset) or the
 * installer printed is known to someone else; the user must replace it before anything else.
 */
export class PasswordChangeAndNotices1732000009400 implements MigrationInterface {
  name = 'PasswordChangeAndNotices1732000009400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN password_change_required boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN password_change_required`);
  }
}
