import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe } from '@app/common';
import { AssignReviewerDto, ReviewTextDto } from './dto/external-review.dto';
import {
  EntryExternalReviewDto,
  ExternalReviewersDto,
  RecommendationDto,
  ReviewCycleDto,
  ReviewerAssignedDto,
  ReviewItemDto,
  SavedResponseDto,
} from './dto/external-review.response';
import { ExternalReviewService } from './external-review.service';

@ApiTags('external-review')
@ApiBearerAuth()
@Controller()
export class ExternalReviewController {
  constructor(private readonly review: ExternalReviewService) {}

  @Post('cycles/:id/external-reviewers')
  @ApiCreatedResponse({ type: ReviewerAssignedDto })
  @Roles('planning', 'admin')
  assign(@Param('id', IdPipe) id: number, @Body() dto: AssignReviewerDto, @CurrentActor() actor: Actor) {
    return this.review.assign(id, dto.userId, actor);
  }

  @Get('cycles/:id/external-reviewers')
  @ApiOkResponse({ type: ExternalReviewersDto })
  @Roles('planning', 'admin')
  reviewers(@Param('id', IdPipe) id: number) {
    return this.review.reviewersOf(id);
  }

  @Get('external-review/cycles')
  @ApiOkResponse({ type: [ReviewCycleDto] })
  @Roles('external_reviewer')
  cycles(@CurrentActor() actor: Actor) {
    return this.review.myCycles(actor);
  }

  @Get('external-review/cycles/:id/items')
  @ApiOkResponse({ type: [ReviewItemDto] })
  @Roles('external_reviewer')
  items(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.review.reviewItems(id, actor);
  }

  @Put('external-review/cycles/:id/items/:itemId/recommendation')
  @ApiOkResponse({ type: RecommendationDto })
  @Roles('external_reviewer')
  recommend(@Param('id', IdPipe) id: number, @Param('itemId', IdPipe) itemId: number, @Body() dto: ReviewTextDto, @CurrentActor() actor: Actor) {
    return this.review.recommend(id, itemId, dto.text, actor);
  }

  /** The previous cycle's 提言 on this entry's item and the section's 対応方針. */
  @Get('entries/:id/external-review')
  @ApiOkResponse({ type: EntryExternalReviewDto })
  forEntry(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.review.forEntry(id, actor);
  }

  @Put('entries/:id/external-review/response')
  @ApiOkResponse({ type: SavedResponseDto })
  respond(@Param('id', IdPipe) id: number, @Body() dto: ReviewTextDto, @CurrentActor() actor: Actor) {
    return this.review.respond(id, dto.text, actor);
  }
}
