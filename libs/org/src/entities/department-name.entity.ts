import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One name a department held, with the dates it was valid (renames keep the department id). */
@Entity('department_names')
export class DepartmentName {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'department_id' }) departmentId: number;
  @Column() name: string;
  @Column({ name: 'valid_from', type: 'date' }) validFrom: string;
  @Column({ name: 'valid_to', type: 'date', nullable: true }) validTo: string | null;
  @Column({ type: 'text', nullable: true }) note: string | null;
}
