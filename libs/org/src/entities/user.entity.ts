import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@app/domain';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Column() login: string;
  @Column() name: string;
  @Column() email: string;
  /** 職員番号: how the personnel section's files name people (unique when set). */
  @Column({ name: 'staff_number', type: 'text', nullable: true }) staffNumber: string | null;
  @Column({ name: 'section_id', type: 'integer', nullable: true }) sectionId: number | null;
  @Column({ type: 'text', array: true }) roles: Role[];
  @Column({ name: 'password_hash', select: false }) passwordHash: string;
  /** Tokens issued before this no longer sign in (libs/auth). */
  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true, select: false }) passwordChangedAt: Date | null;
  /** The password was set by someone else (an administrator, the installer): changed at next sign-in (libs/auth). */
  @Column({ name: 'password_change_required', default: false }) passwordChangeRequired: boolean;
  @Column() active: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
