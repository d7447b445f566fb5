import { ApiProperty } from '@nestjs/swagger';
import { ApiBoolean, ApiNullableObject, ApiNullableString, ApiNumber, ApiOptional, ApiString } from '@app/common';

export class ChainHeadDto {
  @ApiString() chainSeq: string;
  @ApiString() id: string;
  @ApiString() hash: string;
}

export class ChainBreakDto {
  @ApiProperty({ enum: ['changed', 'missing', 'relinked', 'tail-missing'], enumName: 'ChainProblem' }) problem: string;
  @ApiNullableString() id: string | null;
  @ApiNullableString() chainSeq: string | null;
  @ApiString() message: string;
  @ApiOptional({ type: String }) expected?: string;
  @ApiOptional({ type: String }) actual?: string;
}

/** The audit log's hash chain recomputed: ok false names the first broken link. */
export class ChainReportDto {
  @ApiBoolean() ok: boolean;
  @ApiNumber() checked: number;
  @ApiNumber() sealedNow: number;
  @ApiNumber() pending: number;
  @ApiNullableObject(() => ChainHeadDto) head: ChainHeadDto | null;
  @ApiNullableObject(() => ChainBreakDto) firstBreak: ChainBreakDto | null;
}
