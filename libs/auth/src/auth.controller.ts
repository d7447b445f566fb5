import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '@app/domain';
import { TenantsService } from '@app/database';
import { UserDirectory } from '@app/org/directory/user-directory.service';
import { CurrentActor, OwnAccount, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginRateLimitGuard } from './login-rate-limit.guard';
import { CurrentSessionId, sessionClient } from './session-request';
import { SessionsService } from './sessions.service';
import { AllowedBeforePasswordChange, passwordChangeRequired } from './password-change.guard';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';
import { AccessTokenDto, LoginResultDto, MeDto, SessionDto } from './dto/auth.response';
import { EndedCountDto } from '@app/common';

@ApiTags('auth')
@Controller('auth')
@AllowedBeforePasswordChange()
@OwnAccount()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly users: UserDirectory,
    private readonly tenants: TenantsService,
  ) {}

  /** `passwordChangeRequired`: the UI asks for a new password at once (every other call answers 403 until then). */
  @Post('login')
  @ApiOkResponse({ type: LoginResultDto })
  @Public()
  @UseGuards(LoginRateLimitGuard)
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Req() req: Request) {
    const result = await this.auth.login(dto.login, dto.password, sessionClient(req));
    return { ...result, passwordChangeRequired: await passwordChangeRequired(this.users, result.actor.id) };
  }

  /** `municipalities`: the UI offers a prefecture's planning division 市町村へ配布 (POST /shared-templates refuses a tenant without any). */
  @Get('me')
  @ApiOkResponse({ type: MeDto })
  @ApiBearerAuth()
  async me(@CurrentActor() actor: Actor) {
    const [mustChange, municipalities] = await Promise.all([passwordChangeRequired(this.users, actor.id), this.tenants.municipalities()]);
    return { ...actor, passwordChangeRequired: mustChange, municipalities: municipalities.length };
  }

  /** Answers a new token for this session; the user's other sessions are ended. */
  @Post('password')
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiBearerAuth()
  @HttpCode(200)
  changePassword(@Body() dto: ChangePasswordDto, @CurrentActor() actor: Actor, @CurrentSessionId() sessionId: string) {
    return this.auth.changePassword(actor, dto.currentPassword, dto.newPassword, sessionId);
  }

  /** Signs out: ends this session on the server, so its token stops working everywhere. */
  @Post('logout')
  @ApiNoContentResponse()
  @ApiBearerAuth()
  @HttpCode(204)
  async logout(@CurrentActor() actor: Actor, @CurrentSessionId() sessionId: string): Promise<void> {
    await this.sessions.endOne(actor.id, sessionId, 'logout', actor.id);
  }

  /** ログイン中の端末: the caller's live sessions, the one of this request marked `current`. */
  @Get('sessions')
  @ApiOkResponse({ type: SessionDto, isArray: true })
  @ApiBearerAuth()
  mySessions(@CurrentActor() actor: Actor, @CurrentSessionId() sessionId: string) {
    return this.sessions.listLive(actor.id, sessionId);
  }

  /** 「この端末以外をログアウト」: ends every session of the caller but this one. */
  @Post('sessions/end-others')
  @ApiOkResponse({ type: EndedCountDto })
  @ApiBearerAuth()
  @HttpCode(200)
  async endOthers(@CurrentActor() actor: Actor, @CurrentSessionId() sessionId: string) {
    return { ended: await this.sessions.endAll(actor.id, 'ended_by_user', actor.id, { exceptSessionId: sessionId }) };
  }

  /** Ends one of the caller's own sessions (404 for anyone else's). */
  @Delete('sessions/:sessionId')
  @ApiNoContentResponse()
  @ApiBearerAuth()
  @HttpCode(204)
  async endSession(@CurrentActor() actor: Actor, @Param('sessionId') id: string, @CurrentSessionId() current: string): Promise<void> {
    await this.sessions.endOne(actor.id, id, id === current ? 'logout' : 'ended_by_user', actor.id);
  }
}
