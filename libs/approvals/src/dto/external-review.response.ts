import { ApiArray, ApiBoolean, ApiDateTime, ApiEnum, ApiNullableObject, ApiNullableString, ApiNumber, ApiString } from '@app/common';
import { CYCLE_STATES } from '@app/domain';

export class ReviewerAssignedDto {
  @ApiNumber() cycleId: number;
  @ApiNumber() userId: number;
}

export class ExternalReviewerDto {
  @ApiNumber() userId: number;
  @ApiString() name: string;
  @ApiDateTime() assignedAt: string;
}

/** The outside reviewers of a cycle; `enabled`: its template has outside review. */
export class ExternalReviewersDto {
  @ApiBoolean() enabled: boolean;
  @ApiArray(() => ExternalReviewerDto) reviewers: ExternalReviewerDto[];
}

/** A cycle the caller reviews. */
export class ReviewCycleDto {
  @ApiNumber() id: number;
  @ApiString() label: string;
  @ApiEnum(CYCLE_STATES, 'CycleState') state: string;
  @ApiString() templateName: string;
}

/** What a section reported on an item, as accepted: no comments, history or names. */
export class ReviewSectionDto {
  @ApiString() sectionName: string;
  @ApiNullableString() rating: string | null;
  @ApiNullableString() progress: string | null;
  @ApiNullableString() reason: string | null;
  @ApiNullableString() nextSteps: string | null;
}

export class ReviewItemDto {
  @ApiNumber() itemId: number;
  @ApiNumber() itemNumber: number;
  @ApiString() itemSubNumber: string;
  @ApiString() itemTitle: string;
  @ApiNullableString("the reviewers' 提言 on the item in this cycle") recommendation: string | null;
  @ApiArray(() => ReviewSectionDto) sections: ReviewSectionDto[];
}

export class RecommendationDto {
  @ApiNumber() id: number;
  @ApiNumber() cycleId: number;
  @ApiNumber() itemId: number;
  @ApiString() text: string;
  @ApiDateTime() writtenAt: string;
}

export class PreviousRecommendationDto {
  @ApiNumber() id: number;
  @ApiString('the cycle the 提言 was written in') cycleLabel: string;
  @ApiString() text: string;
  @ApiDateTime() writtenAt: string;
}

export class RecommendationResponseDto {
  @ApiString() text: string;
  @ApiDateTime() writtenAt: string;
}

/** The previous cycle's 提言 on this entry's item and the section's 対応方針. */
export class EntryExternalReviewDto {
  @ApiNullableObject(() => PreviousRecommendationDto) recommendation: PreviousRecommendationDto | null;
  @ApiNullableObject(() => RecommendationResponseDto) response: RecommendationResponseDto | null;
  @ApiBoolean('the template requires the 対応方針 before submitting') required: boolean;
  @ApiBoolean() editable: boolean;
}

export class SavedResponseDto {
  @ApiNumber() id: number;
  @ApiString() text: string;
  @ApiDateTime() writtenAt: string;
}
