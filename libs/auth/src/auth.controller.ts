import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginRateLimitGuard } from './login-rate-limit.guard';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @UseGuards(LoginRateLimitGuard)
  @HttpCode(200)
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto.login, dto.password);
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentActor() actor: Actor) {
    return actor;
  }

  /** Answers a new token: the one used for this request (and every other) stops working. */
  @Post('password')
  @ApiBearerAuth()
  @HttpCode(200)
  changePassword(@Body() dto: ChangePasswordDto, @CurrentActor() actor: Actor) {
    return this.auth.changePassword(actor, dto.currentPassword, dto.newPassword);
  }
}
