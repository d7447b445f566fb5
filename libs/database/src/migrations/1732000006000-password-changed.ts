import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * users.password_changed_at: a token issued before the user's password last changed (by the
 * user, or reset by an administrator) no longer signs anyone in.
 */
export class PasswordChanged1732000006000 implements MigrationInterface {
  name = 'PasswordChanged1732000006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN password_changed_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN password_changed_at`);
  }
}
