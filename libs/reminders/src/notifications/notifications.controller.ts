import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@app/auth';
import { IdPipe } from '@app/common';
import type { Actor } from '@app/domain';
import { NotificationSettingsDto } from '../dto/notification-settings.dto';
import { NotificationsService } from './notifications.service';

/** My notifications (the bell) and how I receive them (every user, about themselves only). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.notifications.list(actor);
  }

  @Get('unread-count')
  async unread(@CurrentActor() actor: Actor) {
    return { unread: await this.notifications.unread(actor) };
  }

  @Post('read-all')
  @HttpCode(200)
  readAll(@CurrentActor() actor: Actor) {
    return this.notifications.markAllRead(actor);
  }

  @Post(':id/read')
  @HttpCode(200)
  read(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.notifications.markRead(actor, String(id));
  }

  @Get('settings')
  settings(@CurrentActor() actor: Actor) {
    return this.notifications.settings(actor);
  }

  @Put('settings')
  setSettings(@Body() dto: NotificationSettingsDto, @CurrentActor() actor: Actor) {
    return this.notifications.setSettings(actor, dto.mode);
  }
}
