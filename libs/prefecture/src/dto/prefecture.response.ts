import { FORM_LAYOUTS, PERIOD_TYPES } from '@app/domain';
import {
  ApiArray,
  ApiBoolean,
  ApiDateTime,
  ApiEnum,
  ApiNullableDateTime,
  ApiNullableNumber,
  ApiNullableObject,
  ApiNullableString,
  ApiNumber,
  ApiObject,
  ApiString,
  FormFieldViewDto,
  RatingOptionDto,
  RatingScaleDto,
} from '@app/common';

/** A template definition a prefecture distributes (GET /shared-templates). */
export class SharedTemplateDto {
  @ApiNumber() id: number;
  @ApiString('the same in every municipality that adopts it') code: string;
  @ApiString() name: string;
  @ApiEnum(PERIOD_TYPES, 'PeriodType') periodType: string;
  @ApiNullableNumber() spanYears: number | null;
  @ApiNullableNumber() firstFiscalYear: number | null;
  @ApiObject(() => RatingScaleDto) scale: RatingScaleDto;
  @ApiArray(() => FormFieldViewDto) fields: FormFieldViewDto[];
  @ApiEnum(FORM_LAYOUTS, 'FormLayout') layout: string;
  @ApiNumber() version: number;
  @ApiDateTime() publishedAt: string;
  @ApiBoolean('the municipality has a template of this code') adopted: boolean;
  @ApiBoolean('the current tenant distributes it (a prefecture: not to adopt)') own: boolean;
}

export class ComparisonPeriodDto {
  @ApiString('the period key, e.g. 2024-H1') key: string;
  @ApiString('in era years, e.g. 令和6年度 上半期') label: string;
  @ApiNumber() fiscalYear: number;
}

export class ComparisonScaleDto {
  @ApiString() code: string;
  @ApiString() name: string;
  @ApiArray(() => RatingOptionDto) options: RatingOptionDto[];
}

export class RatingCountDto {
  @ApiString() value: string;
  @ApiNumber() count: number;
}

/** One municipality: what its latest publication of the period counts (no text), or not published. */
export class ComparisonRowDto {
  @ApiNumber() tenantId: number;
  @ApiNullableString('全国地方公共団体コード') code: string | null;
  @ApiString() name: string;
  @ApiNullableString('its public site') publicUrl: string | null;
  @ApiBoolean() published: boolean;
  @ApiNullableNumber() cycleId: number | null;
  @ApiNullableNumber('第N版') version: number | null;
  @ApiNullableDateTime() publishedAt: string | null;
  @ApiNumber('rows of the publication (item × section)') total: number;
  @ApiNumber('rows accepted by publication (承認済み)') reported: number;
  @ApiNumber() notReported: number;
  @ApiNullableNumber('reported / total in per cent') reportedPercent: number | null;
  @ApiArray(() => RatingCountDto, 'per option of the scale, in its order') ratings: RatingCountDto[];
}

/** GET /prefecture/comparison: the prefecture's municipalities side by side for a shared template code and a period. */
export class ComparisonDto {
  @ApiString() code: string;
  @ApiNullableString() templateName: string | null;
  @ApiNullableObject(() => ComparisonPeriodDto) period: ComparisonPeriodDto | null;
  @ApiArray(() => ComparisonPeriodDto, 'every period a municipality published, newest first') periods: ComparisonPeriodDto[];
  @ApiNullableObject(() => ComparisonScaleDto) scale: ComparisonScaleDto | null;
  @ApiArray(() => ComparisonRowDto) municipalities: ComparisonRowDto[];
}
