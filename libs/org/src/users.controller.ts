import { Body, Controller, HttpCode, Delete, Get, Param, ParseBoolPipe, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe } from '@app/common';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { UsersService } from './users.service';
import { DirectoryPersonDto, UserDto } from './dto/org.response';
import { SessionDto } from '@app/auth';
import { EndedCountDto } from '@app/common';

/** Users: admin writes, planning may read (to pick evaluators and section members). */
@ApiTags('org')
@ApiBearerAuth()
@Controller('org/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UserDto, isArray: true })
  @Roles('planning', 'admin')
  @ApiQuery({ name: 'sectionId', required: false })
  @ApiQuery({ name: 'includeInactive', required: false })
  list(
    @Query('sectionId', new ParseIntPipe({ optional: true })) sectionId?: number,
    @Query('includeInactive', new ParseBoolPipe({ optional: true })) includeInactive?: boolean,
  ) {
    return this.users.list({ sectionId, includeInactive });
  }

  /** Anyone signed in: names and sections of active staff, to pick a delegate (代理者). */
  @Get('directory')
  @ApiOkResponse({ type: DirectoryPersonDto, isArray: true })
  @ApiQuery({ name: 'q', required: false })
  directory(@Query('q') q?: string) {
    return this.users.directory(String(q ?? '').slice(0, 100));
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  @Roles('planning', 'admin')
  get(@Param('id', IdPipe) id: number) {
    return this.users.get(id);
  }

  @Post()
  @ApiCreatedResponse({ type: UserDto })
  @Roles('admin')
  create(@Body() dto: CreateUserDto, @CurrentActor() actor: Actor) {
    return this.users.create(dto, actor);
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  @Roles('admin')
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateUserDto, @CurrentActor() actor: Actor) {
    return this.users.update(id, dto, actor);
  }

  /** Ends a sign-in lock (repeated failures) before it runs out. */
  @Post(':id/unlock')
  @ApiOkResponse({ type: UserDto })
  @HttpCode(200)
  @Roles('admin')
  unlock(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.users.unlock(id, actor);
  }

  /** The user's live sessions (ログイン中の端末). */
  @Get(':id/sessions')
  @ApiOkResponse({ type: SessionDto, isArray: true })
  @Roles('admin')
  sessions(@Param('id', IdPipe) id: number) {
    return this.users.sessionsOf(id);
  }

  /** 「セッションを終了」: signs the user out of every device at once. */
  @Delete(':id/sessions')
  @ApiOkResponse({ type: EndedCountDto })
  @Roles('admin')
  endSessions(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.users.endSessions(id, actor);
  }

  /** Deactivates: users are referenced by entries and the audit log. */
  @Delete(':id')
  @ApiOkResponse({ type: UserDto })
  @Roles('admin')
  deactivate(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.users.deactivate(id, actor);
  }
}
