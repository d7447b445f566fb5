import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe } from '@app/common';
import { DelegationsService } from './delegations.service';
import { CreateDelegationDto } from './dto/delegation.dto';
import { DelegationDto, DelegationsDto } from './dto/approval.response';

@ApiTags('delegations')
@ApiBearerAuth()
@Controller('delegations')
export class DelegationsController {
  constructor(private readonly delegations: DelegationsService) {}

  @Post()
  @ApiCreatedResponse({ type: DelegationDto })
  create(@Body() dto: CreateDelegationDto, @CurrentActor() actor: Actor) {
    return this.delegations.create(dto, actor);
  }

  /** The principal or their superior puts a delegation recorded by someone else in force. */
  @Post(':id/confirm')
  @ApiOkResponse({ type: DelegationDto })
  @HttpCode(200)
  confirm(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.delegations.confirm(id, actor);
  }

  @Get()
  @ApiOkResponse({ type: DelegationsDto })
  mine(@CurrentActor() actor: Actor) {
    return this.delegations.mine(actor);
  }

  @Delete(':id')
  @ApiOkResponse({ type: DelegationDto })
  revoke(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.delegations.revoke(id, actor);
  }
}
