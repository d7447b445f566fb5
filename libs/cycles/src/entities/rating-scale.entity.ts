import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RatingOption } from '@app/domain';

@Entity('rating_scales')
export class RatingScaleRow {
  @PrimaryColumn() code: string;
  @Column() name: string;
  @Column({ type: 'jsonb' }) options: RatingOption[];
  @Column({ name: 'reason_required_for', type: 'text', array: true }) reasonRequiredFor: string[];
  @Column() builtin: boolean;
}
