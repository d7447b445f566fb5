import { Body, Controller, Get, Param, PipeTransform, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@app/auth';
import { DomainError, IdPipe } from '@app/common';
import type { Actor } from '@app/domain';
import { VALUE_SCOPES } from '@app/domain';
import type { ValueScope } from '@app/domain';
import { SaveScopeValuesDto } from './scope-values.dto';
import { ScopeValuesService } from './scope-values.service';
import { ScopeValuesDto } from '../dto/entry.response';

class ScopePipe implements PipeTransform<string, ValueScope> {
  transform(value: string): ValueScope {
    if (!(VALUE_SCOPES as readonly string[]).includes(value)) {
      throw new DomainError('bad_request', 'scope: department(部)か section(課)を指定してください', { field: 'scope' });
    }
    return value as ValueScope;
  }
}
const scopePipe = new ScopePipe();

/** A department's or a section's fields for one cycle (基本方針, 総括), entered once. */
@ApiTags('entries')
@ApiBearerAuth()
@Controller('cycles/:cycleId/scope-values')
export class ScopeValuesController {
  constructor(private readonly scopeValues: ScopeValuesService) {}

  @Get(':scope/:scopeId')
  @ApiOkResponse({ type: ScopeValuesDto })
  get(
    @Param('cycleId', IdPipe) cycleId: number,
    @Param('scope', scopePipe) scope: ValueScope,
    @Param('scopeId', IdPipe) scopeId: number,
    @CurrentActor() actor: Actor,
  ) {
    return this.scopeValues.get(cycleId, scope, scopeId, actor);
  }

  @Put(':scope/:scopeId')
  @ApiOkResponse({ type: ScopeValuesDto })
  save(
    @Param('cycleId', IdPipe) cycleId: number,
    @Param('scope', scopePipe) scope: ValueScope,
    @Param('scopeId', IdPipe) scopeId: number,
    @Body() dto: SaveScopeValuesDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.scopeValues.save(cycleId, scope, scopeId, dto, actor);
  }
}
