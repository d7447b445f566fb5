import {
  ApiArray,
  ApiBoolean,
  ApiDateTime,
  ApiDay,
  ApiEnum,
  ApiNullableDateTime,
  ApiNullableObject,
  ApiNullableString,
  ApiNumber,
  ApiNumbers,
  ApiString,
  ApiStrings,
  ApiObject,
} from '@app/common';
import { ApiProperty } from '@nestjs/swagger';
import { POSTS } from '@app/domain';

/** What the preview shows for one row of a 人事異動 file. */
export class TransferRowReportDto {
  @ApiNumber('the row number in the file (1 = the header)') row: number;
  @ApiString('the login or 職員番号 as written') person: string;
  @ApiString() name: string;
  @ApiNullableString('where the person is now') current: string | null;
  @ApiNullableString('where the row puts them') next: string | null;
  @ApiString('新職 as written') title: string;
  @ApiNullableString('発令日 (YYYY-MM-DD)') effectiveDate: string | null;
  @ApiStrings() errors: string[];
  @ApiStrings() warnings: string[];
  @ApiBoolean('the row changes nothing') unchanged: boolean;
}

export class TransferSummaryDto {
  @ApiNumber() rows: number;
  @ApiNumber() errorRows: number;
  @ApiNumber() moves: number;
  @ApiNumber() unchanged: number;
  @ApiNumber('entries waiting for approval whose approvers change (to the successors)') reassignedEntries: number;
  @ApiNumber() delegationsEnding: number;
  @ApiNumber() itemsHandedOver: number;
}

export class TransferPreviewDto {
  @ApiStrings() fileErrors: string[];
  @ApiArray(() => TransferRowReportDto) rows: TransferRowReportDto[];
  @ApiObject(() => TransferSummaryDto) summary: TransferSummaryDto;
}

export class TransferOutcomeDto {
  @ApiNumber() transferId: number;
  @ApiNumber() applied: number;
  @ApiNumber() unchanged: number;
  @ApiNumber() reassignedEntries: number;
  @ApiNumber() delegationsEnded: number;
  @ApiNumber() itemsHandedOver: number;
  @ApiNumbers('entries left without anyone to approve them') withoutApprover: number[];
}

export class TransferRegisteredDto {
  @ApiNumber() transferId: number;
  @ApiObject(() => TransferPreviewDto) preview: TransferPreviewDto;
  @ApiNullableObject(() => TransferOutcomeDto, 'null when applied on each 発令日 by the worker') outcome: TransferOutcomeDto | null;
}

/** A registered 人事異動 file. */
export class TransferDto {
  @ApiNumber() id: number;
  @ApiNullableString() fileName: string | null;
  @ApiEnum(['now', 'on_date'], 'TransferMode') mode: string;
  @ApiDateTime() createdAt: string;
  @ApiNullableString() createdByName: string | null;
  @ApiNullableDateTime() cancelledAt: string | null;
  @ApiNumber() rows: number;
  @ApiNumber() applied: number;
  @ApiNullableString() firstDate: string | null;
  @ApiNullableString() lastDate: string | null;
}

export class TransferRowDto {
  @ApiNumber() row: number;
  @ApiString() login: string;
  @ApiString() name: string;
  @ApiEnum(POSTS, 'Post') post: string;
  @ApiString() title: string;
  @ApiString() effectiveDate: string;
  @ApiNullableString() placeName: string | null;
  @ApiNullableDateTime() appliedAt: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'what applying the row did' }) outcome: Record<
    string,
    unknown
  > | null;
}

/** One file with its rows (the count of rows of the list is the length of `rows` here). */
export class TransferDetailDto {
  @ApiNumber() id: number;
  @ApiNullableString() fileName: string | null;
  @ApiEnum(['now', 'on_date'], 'TransferMode') mode: string;
  @ApiDateTime() createdAt: string;
  @ApiNullableString() createdByName: string | null;
  @ApiNullableDateTime() cancelledAt: string | null;
  @ApiNumber() applied: number;
  @ApiNullableString() firstDate: string | null;
  @ApiNullableString() lastDate: string | null;
  @ApiArray(() => TransferRowDto) rows: TransferRowDto[];
}

export class TransferCancelledDto {
  @ApiNumber() id: number;
  @ApiNumber() cancelledRows: number;
}

/** What the preview or the application of a 機構改革 file reports for one row. */
export class ReformRowReportDto {
  @ApiNumber() row: number;
  @ApiString('種別 as written') kind: string;
  @ApiString() target: string;
  @ApiNullableString('施行日 (YYYY-MM-DD), null when unreadable') effectiveDate: string | null;
  @ApiNullableString() result: string | null;
  @ApiStrings() errors: string[];
  @ApiStrings() warnings: string[];
}

export class ReformSummaryDto {
  @ApiNumber() rows: number;
  @ApiNumber() errorRows: number;
}

export class ReformReportDto {
  @ApiStrings() fileErrors: string[];
  @ApiArray(() => ReformRowReportDto) rows: ReformRowReportDto[];
  @ApiObject(() => ReformSummaryDto) summary: ReformSummaryDto;
}

/** A 機構改革 file as registered: applied now, or stored for its 施行日. */
export class ReformRegisteredDto extends ReformReportDto {
  @ApiNumber() reformId: number;
  @ApiDay('施行日') effectiveDate: string;
  @ApiBoolean('true: the worker applies it on effectiveDate') scheduled: boolean;
}

/** A registered 機構改革 in the list: scheduled (appliedAt and cancelledAt null), applied, failed or cancelled. */
export class ReformDto {
  @ApiNumber() id: number;
  @ApiNullableString() fileName: string | null;
  @ApiDay('施行日') effectiveDate: string;
  @ApiDateTime() createdAt: string;
  @ApiNullableString() createdByName: string | null;
  @ApiNumber() rows: number;
  @ApiStrings('what each row does, as the preview said') results: string[];
  @ApiNullableDateTime() appliedAt: string | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'false: no row was applied (see failure)' }) applied: boolean | null;
  @ApiNullableDateTime() cancelledAt: string | null;
  @ApiNullableString('why a file was not applied on its date') failure: string | null;
}

export class ReformCancelledDto {
  @ApiNumber() id: number;
  @ApiDay() effectiveDate: string;
}
