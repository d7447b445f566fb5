import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CycleState } from '@app/domain';
import type { CycleRules } from '../cycle-rules';

@Entity('cycles')
export class Cycle {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'template_id' }) templateId: number;
  @Column({ name: 'period_key' }) periodKey: string;
  @Column({ name: 'period_start', type: 'date' }) periodStart: string;
  @Column({ name: 'period_end', type: 'date' }) periodEnd: string;
  @Column({ name: 'fiscal_year' }) fiscalYear: number;
  @Column() label: string;
  @Column({ type: 'text' }) state: CycleState;
  @Column({ name: 'submission_deadline', type: 'date' }) submissionDeadline: string;
  @Column({ name: 'review_deadline', type: 'date' }) reviewDeadline: string;
  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true }) openedAt: Date | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  /** The template's scale, fields and route as the cycle opened (null while draft). */
  @Column({ type: 'jsonb', nullable: true }) rules: CycleRules | null;
  @Column() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
