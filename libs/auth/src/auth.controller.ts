import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/domain';
import { CurrentActor, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginRateLimitGuard } from './login-rate-limit.guard';
import { AllowedBeforePasswordChange, passwordChangeRequired } from './password-change.guard';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
@AllowedBeforePasswordChange()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly dataSource: DataSource,
  ) {}

  /** `passwordChangeRequired`: the UI asks for a new password at once (every other call answers 403 until then). */
  @Post('login')
  @Public()
  @UseGuards(LoginRateLimitGuard)
  @HttpCode(200)
  async login(@Body() dto: LoginDto) {
    const result = await this.auth.login(dto.login, dto.password);
    return { ...result, passwordChangeRequired: await passwordChangeRequired(this.dataSource, result.actor.id) };
  }

  @Get('me')
  @ApiBearerAuth()
  async me(@CurrentActor() actor: Actor) {
    return { ...actor, passwordChangeRequired: await passwordChangeRequired(this.dataSource, actor.id) };
  }

  /** Answers a new token: the one used for this request (and every other) stops working. */
  @Post('password')
  @ApiBearerAuth()
  @HttpCode(200)
  changePassword(@Body() dto: ChangePasswordDto, @CurrentActor() actor: Actor) {
    return this.auth.changePassword(actor, dto.currentPassword, dto.newPassword);
  }
}
