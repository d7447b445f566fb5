import { ApiArray, ApiDay, ApiEnum, ApiNumber, ApiString } from '@app/common';
import { CYCLE_STATES, RETENTION_CLASSES } from '@app/domain';

/** A closed cycle's record with its 保存期間 and disposal date. */
export class DisposalRowDto {
  @ApiNumber() cycleId: number;
  @ApiString() label: string;
  @ApiNumber() templateId: number;
  @ApiString() templateName: string;
  @ApiEnum(CYCLE_STATES, 'CycleState') state: string;
  @ApiString() stateLabel: string;
  @ApiDay('the Tokyo date the cycle last closed') closedOn: string;
  @ApiEnum(RETENTION_CLASSES, 'RetentionClass') retentionClass: string;
  @ApiString() retentionLabel: string;
  @ApiDay('31 March of the last fiscal year of the 保存期間 (常用 records are never listed)') disposalDate: string;
}

/** GET /records/disposal: records due for disposal (廃棄対象) and those due by the end of the next fiscal year. */
export class DisposalListDto {
  @ApiDay() asOf: string;
  @ApiArray(() => DisposalRowDto) due: DisposalRowDto[];
  @ApiArray(() => DisposalRowDto) upcoming: DisposalRowDto[];
  @ApiDay() upcomingUntil: string;
}
