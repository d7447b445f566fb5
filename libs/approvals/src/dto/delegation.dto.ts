import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDateString, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { APPROVAL_STEP_KINDS, type ApprovalStepKind } from '@app/domain';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class CreateDelegationDto {
  @ApiPropertyOptional({ description: 'the principal; defaults to the caller (planning/admin may name anyone)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  fromUserId?: number;
  @ApiProperty({ description: 'the delegate (代理者)' }) @IsInt() @Min(1) toUserId: number;
  @ApiProperty({ example: '2024-10-01', description: 'first day, Asia/Tokyo, inclusive' })
  @Matches(DATE, { message: '日付(YYYY-MM-DD)で入力してください' })
  @IsDateString({ strict: true })
  startsOn: string;
  @ApiProperty({ example: '2024-10-07', description: 'last day, Asia/Tokyo, inclusive' })
  @Matches(DATE, { message: '日付(YYYY-MM-DD)で入力してください' })
  @IsDateString({ strict: true })
  endsOn: string;
  @ApiPropertyOptional({ example: '出張のため' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
  @ApiPropertyOptional({ description: 'only this cycle (all cycles when omitted)' }) @IsOptional() @IsInt() @Min(1) cycleId?: number;
  @ApiPropertyOptional({ enum: APPROVAL_STEP_KINDS, description: 'only steps of this kind (every step when omitted)' })
  @IsOptional()
  @IsIn(APPROVAL_STEP_KINDS)
  stepKind?: ApprovalStepKind;
  @ApiPropertyOptional({ description: 'keep the delegation through a 人事異動 of either person (ended by the move when false, the default)' })
  @IsOptional()
  @IsBoolean({ message: '人事異動の後も続けるか(continueAfterTransfer)は true か false で指定してください' })
  continueAfterTransfer?: boolean;
}
