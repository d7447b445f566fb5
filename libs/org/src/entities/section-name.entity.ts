import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One name a section held, with the dates it was valid (renames keep the section id). */
@Entity('section_names')
export class SectionName {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'section_id' }) sectionId: number;
  @Column() name: string;
  @Column({ name: 'valid_from', type: 'date' }) validFrom: string;
  @Column({ name: 'valid_to', type: 'date', nullable: true }) validTo: string | null;
  @Column({ type: 'text', nullable: true }) note: string | null;
}
