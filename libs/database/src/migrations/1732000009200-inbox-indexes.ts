import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The approver inbox reads from each approver's own work, not the city's waiting entries:
 * waiting entries by section (a chief's), by item (a named evaluator's) and by cycle step (a
 * planning step), the items each evaluator is named for, and what a user wrote (their save and
 * submit audit rows, for segregation of duties). Partial on the two waiting states, so the
 * indexes stay as small as the queues.
 */
export class InboxIndexes1732000009200 implements MigrationInterface {
  name = 'InboxIndexes1732000009200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX entries_waiting_section_idx ON entries(section_id, cycle_id, current_step) WHERE state IN ('submitted', 'in_review');
      CREATE INDEX entries_waiting_item_idx ON entries(item_id, cycle_id, current_step) WHERE state IN ('submitted', 'in_review');
      CREATE INDEX entries_waiting_step_idx ON entries(cycle_id, current_step) WHERE state IN ('submitted', 'in_review');
      CREATE INDEX plan_items_evaluator_idx ON plan_items(evaluator_user_id) WHERE evaluator_user_id IS NOT NULL;
      CREATE INDEX departments_head_idx ON departments(head_user_id) WHERE head_user_id IS NOT NULL;
      CREATE INDEX audit_log_entry_actor_idx ON audit_log(actor_user_id) WHERE subject_type = 'entry' AND action IN ('entry.save', 'entry.submit');
      CREATE INDEX audit_log_entry_principal_idx ON audit_log(on_behalf_of_user_id)
        WHERE subject_type = 'entry' AND action IN ('entry.save', 'entry.submit') AND on_behalf_of_user_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX audit_log_entry_principal_idx;
      DROP INDEX audit_log_entry_actor_idx;
      DROP INDEX departments_head_idx;
      DROP INDEX plan_items_evaluator_idx;
      DROP INDEX entries_waiting_step_idx;
      DROP INDEX entries_waiting_item_idx;
      DROP INDEX entries_waiting_section_idx;
    `);
  }
}
