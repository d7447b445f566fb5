import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Actor } from '@app/domain';
import { CurrentActor, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginRateLimitGuard } from './login-rate-limit.guard';
import { CurrentSessionId, sessionClient } from './session-request';
import { SessionsService } from './sessions.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('login')
  @Public()
  @UseGuards(LoginRateLimitGuard)
  @HttpCode(200)
  login(@Body() dto: LoginDto, @Req() req: Request) {
    return this.auth.login(dto.login, dto.password, sessionClient(req));
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentActor() actor: Actor) {
    return actor;
  }

  /** Answers a new token for this session; the user's other sessions are ended. */
  @Post('password')
  @ApiBearerAuth()
  @HttpCode(200)
  changePassword(@Body() dto: ChangePasswordDto, @CurrentActor() actor: Actor, @CurrentSessionId() sessionId: string) {
    return this.auth.changePassword(actor, dto.currentPassword, dto.newPassword, sessionId);
  }

  /** Signs out: ends this session on the server, so its token stops working everywhere. */
  @Post('logout')
  @ApiBearerAuth()
  @HttpCode(204)
  async logout(@CurrentActor() actor: Actor, @CurrentSessionId() sessionId: string): Promise<void> {
    await this.sessions.endOne(actor.id, sessionId, 'logout', actor.id);
  }

  /** ログイン中の端末: the caller's live sessions, the one of this request marked `current`. */
  @Get('sessions')
  @ApiBearerAuth()
  mySessions(@CurrentActor() actor: Actor, @CurrentSessionId() sessionId: string) {
    return this.sessions.listLive(actor.id, sessionId);
  }

  /** 「この端末以外をログアウト」: ends every session of the caller but this one. */
  @Post('sessions/end-others')
  @ApiBearerAuth()
  @HttpCode(200)
  async endOthers(@CurrentActor() actor: Actor, @CurrentSessionId() sessionId: string) {
    return { ended: await this.sessions.endAll(actor.id, 'ended_by_user', actor.id, { exceptSessionId: sessionId }) };
  }

  /** Ends one of the caller's own sessions (404 for anyone else's). */
  @Delete('sessions/:sessionId')
  @ApiBearerAuth()
  @HttpCode(204)
  async endSession(@CurrentActor() actor: Actor, @Param('sessionId') id: string, @CurrentSessionId() current: string): Promise<void> {
    await this.sessions.endOne(actor.id, id, id === current ? 'logout' : 'ended_by_user', actor.id);
  }
}
