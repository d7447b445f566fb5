import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { EntryState, KpiActual } from '@app/domain';

export type { KpiActual };

@Entity('entries')
export class Entry {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'cycle_id' }) cycleId: number;
  @Column({ name: 'item_id' }) itemId: number;
  @Column({ name: 'section_id' }) sectionId: number;
  @Column({ type: 'text' }) state: EntryState;
  @Column({ type: 'text', nullable: true }) rating: string | null;
  @Column({ type: 'text', nullable: true }) progress: string | null;
  @Column({ name: 'fiscal_goal', type: 'text', nullable: true }) fiscalGoal: string | null;
  @Column({ name: 'short_term_plan', type: 'text', nullable: true }) shortTermPlan: string | null;
  @Column({ name: 'kpi_actuals', type: 'jsonb' }) kpiActuals: KpiActual[];
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'next_steps', type: 'text', nullable: true }) nextSteps: string | null;
  /** The form's entry fields beyond the built-in columns, by key. */
  @Column({ type: 'jsonb' }) values: Record<string, unknown>;
  @Column({ name: 'previous_entry_id', type: 'integer', nullable: true }) previousEntryId: number | null;
  @Column({ name: 'previous_rating', type: 'text', nullable: true }) previousRating: string | null;
  @Column({ name: 'current_step' }) currentStep: number;
  @Column({ name: 'author_user_id', type: 'integer', nullable: true }) authorUserId: number | null;
  @Column({ name: 'last_edited_by', type: 'integer', nullable: true }) lastEditedBy: number | null;
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true }) submittedAt: Date | null;
  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true }) acceptedAt: Date | null;
  @Column({ name: 'return_comment', type: 'text', nullable: true }) returnComment: string | null;
  @Column({ name: 'return_field_comments', type: 'jsonb', nullable: true })
  returnFieldComments: Record<string, string> | null;
  /** What the approval route said of the current submission (a step passed or re-addressed), for the inbox and the page. */
  @Column({ name: 'route_notes', type: 'jsonb' }) routeNotes: string[];
  @Column() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** The fields a section edits; the version history stores exactly these. */
export const EDITABLE_FIELDS = ['rating', 'progress', 'fiscalGoal', 'shortTermPlan', 'kpiActuals', 'reason', 'nextSteps', 'values'] as const;

export function editableSnapshot(entry: Entry) {
  return Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, entry[f]]));
}
