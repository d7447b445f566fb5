import { CYCLE_STATES, ENTRY_STATES, PERIOD_TYPES } from '@app/domain';
import {
  ApiArray,
  ApiBoolean,
  ApiDay,
  ApiEnum,
  ApiNullableDateTime,
  ApiNullableEnum,
  ApiNullableString,
  ApiNumber,
  ApiNumberRecord,
  ApiObject,
  ApiOptional,
  ApiString,
  ApiStringRecord,
  ApiStrings,
  RatingScaleDto,
} from '@app/common';

export class ReportCycleDto {
  @ApiNumber() id: number;
  @ApiString() label: string;
  @ApiEnum(CYCLE_STATES, 'CycleState') state: string;
  @ApiString('令和8年度') fiscalYearLabel: string;
}

export class CompletenessGroupDto {
  @ApiNumber() total: number;
  @ApiNumberRecord('entries per state') counts: Record<string, number>;
  @ApiNumber() accepted: number;
  @ApiNumber() acceptedPercent: number;
}

export class SectionCompletenessDto extends CompletenessGroupDto {
  @ApiNumber() sectionId: number;
  @ApiString() sectionName: string;
  @ApiNumber() departmentId: number;
  @ApiString() departmentName: string;
  @ApiStrings('the section chiefs (課長)') chiefs: string[];
}

export class DepartmentCompletenessDto extends CompletenessGroupDto {
  @ApiNumber() departmentId: number;
  @ApiString() departmentName: string;
}

/** An entry behind its deadline, or waiting for an approval. */
export class LateEntryDto {
  @ApiNumber() entryId: number;
  @ApiEnum(ENTRY_STATES, 'EntryState') state: string;
  @ApiString() stateLabel: string;
  @ApiNumber() currentStep: number;
  @ApiNumber() number: number;
  @ApiString() subNumber: string;
  @ApiString() title: string;
  @ApiNumber() sectionId: number;
  @ApiString() sectionName: string;
  @ApiString() departmentName: string;
}

export class LateSectionDto {
  @ApiNumber() sectionId: number;
  @ApiString() sectionName: string;
  @ApiString() departmentName: string;
  @ApiStrings() chiefs: string[];
  @ApiArray(() => LateEntryDto) entries: LateEntryDto[];
}

export class UnapprovableEntryDto extends LateEntryDto {
  @ApiNullableString() stepLabel: string | null;
}

/** GET /cycles/:id/completeness: who has submitted and approved, as of a day. */
export class CompletenessDto {
  @ApiObject(() => ReportCycleDto) cycle: ReportCycleDto;
  @ApiDay() asOf: string;
  @ApiDay() submissionDeadline: string;
  @ApiDay() reviewDeadline: string;
  @ApiStringRecord('the label of every entry state') stateLabels: Record<string, string>;
  @ApiObject(() => CompletenessGroupDto) total: CompletenessGroupDto;
  @ApiArray(() => SectionCompletenessDto) sections: SectionCompletenessDto[];
  @ApiArray(() => DepartmentCompletenessDto) departments: DepartmentCompletenessDto[];
  @ApiArray(() => LateSectionDto) lateSubmission: LateSectionDto[];
  @ApiArray(() => LateEntryDto) lateReview: LateEntryDto[];
  @ApiArray(() => UnapprovableEntryDto, 'waiting for an approval nobody can give (vacant post, or every holder wrote the entry)')
  withoutApprover: UnapprovableEntryDto[];
}

export class RatingCountDto {
  @ApiString() value: string;
  @ApiString() symbol: string;
  @ApiString() label: string;
  @ApiNumber() ordinal: number;
  @ApiNumber() count: number;
}

export class OrdinalCountDto {
  @ApiNumber() ordinal: number;
  @ApiNumber() count: number;
}

export class RatingTallyDto {
  @ApiArray(() => RatingCountDto) ratings: RatingCountDto[];
  @ApiNumber() total: number;
  @ApiNumber() unrated: number;
  @ApiNumber('ratings not on the scale') unknown: number;
  @ApiArray(() => OrdinalCountDto) ordinals: OrdinalCountDto[];
}

export class ChapterTallyDto extends RatingTallyDto {
  @ApiNullableString() chapter: string | null;
}

export class DepartmentTallyDto extends RatingTallyDto {
  @ApiNumber() departmentId: number;
  @ApiString() departmentName: string;
}

export class SummaryCycleDto extends ReportCycleDto {
  @ApiNumber() fiscalYear: number;
  @ApiString() periodLabel: string;
  @ApiNullableDateTime() publishedAt: string | null;
}

export class ScaleNameDto {
  @ApiString() code: string;
  @ApiString() name: string;
}

/** GET /cycles/:id/summary: the ratings counted, in total, by chapter and by department. */
export class SummaryDto extends RatingTallyDto {
  @ApiObject(() => SummaryCycleDto) cycle: SummaryCycleDto;
  @ApiObject(() => ScaleNameDto) scale: ScaleNameDto;
  @ApiBoolean() acceptedOnly: boolean;
  @ApiArray(() => ChapterTallyDto) byChapter: ChapterTallyDto[];
  @ApiArray(() => DepartmentTallyDto) byDepartment: DepartmentTallyDto[];
}

export class PublicSummaryCycleDto {
  @ApiNumber() id: number;
  @ApiString() label: string;
  @ApiString() fiscalYearLabel: string;
  @ApiString() periodLabel: string;
  @ApiNullableDateTime() publishedAt: string | null;
}

/** GET /public/cycles/:id/summary.json: the published counts (accepted entries only). */
export class PublicSummaryDto {
  @ApiObject(() => PublicSummaryCycleDto) cycle: PublicSummaryCycleDto;
  @ApiObject(() => ScaleNameDto) scale: ScaleNameDto;
  @ApiNumber() total: number;
  @ApiArray(() => RatingCountDto) ratings: RatingCountDto[];
  @ApiNumber() unrated: number;
  @ApiArray(() => OrdinalCountDto) ordinals: OrdinalCountDto[];
  @ApiArray(() => ChapterTallyDto) byChapter: ChapterTallyDto[];
  @ApiArray(() => DepartmentTallyDto) byDepartment: DepartmentTallyDto[];
  @ApiOptional({ type: Number, description: '第N版 (absent for a cycle published before publications were frozen)' }) version?: number;
  @ApiOptional({ type: String, format: 'date-time' }) publishedAt?: string;
}

export class YearOverYearTemplateDto {
  @ApiNumber() id: number;
  @ApiString() name: string;
  @ApiEnum(PERIOD_TYPES, 'PeriodType') periodType: string;
}

export class YearColumnDto {
  @ApiNumber() fiscalYear: number;
  @ApiString() label: string;
  @ApiNumber() cycleId: number;
  @ApiString() cycleLabel: string;
  @ApiEnum(CYCLE_STATES, 'CycleState') cycleState: string;
  @ApiObject(() => RatingTallyDto) counts: RatingTallyDto;
}

export class YearCellDto {
  @ApiNumber() fiscalYear: number;
  @ApiNullableString() rating: string | null;
  @ApiString() symbol: string;
  @ApiString() label: string;
  @ApiNullableEnum(ENTRY_STATES, 'EntryState') state: string | null;
  @ApiNullableString() stateLabel: string | null;
}

export class YearRowDto {
  @ApiNumber() itemId: number;
  @ApiNumber() number: number;
  @ApiString() subNumber: string;
  @ApiNullableString() chapter: string | null;
  @ApiString() title: string;
  @ApiNumber() sectionId: number;
  @ApiString() sectionName: string;
  @ApiArray(() => YearCellDto) cells: YearCellDto[];
}

/** GET /templates/:id/year-over-year: one column per fiscal year's cycle. */
export class YearOverYearDto {
  @ApiObject(() => YearOverYearTemplateDto) template: YearOverYearTemplateDto;
  @ApiObject(() => RatingScaleDto) scale: RatingScaleDto;
  @ApiBoolean() acceptedOnly: boolean;
  @ApiArray(() => YearColumnDto) columns: YearColumnDto[];
  @ApiArray(() => YearRowDto) rows: YearRowDto[];
}
