import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@app/auth';
import { IdPipe } from '@app/common';
import type { Actor } from '@app/domain';
import { NotificationSettingsDto } from '../dto/notification-settings.dto';
import { NotificationListDto, NotificationSettingsViewDto, UnreadCountDto } from '../dto/notification.response';
import { NotificationsService } from './notifications.service';

/** My notifications (the bell) and how I receive them (every user, about themselves only). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOkResponse({ type: NotificationListDto })
  list(@CurrentActor() actor: Actor) {
    return this.notifications.list(actor);
  }

  @Get('unread-count')
  @ApiOkResponse({ type: UnreadCountDto })
  async unread(@CurrentActor() actor: Actor) {
    return { unread: await this.notifications.unread(actor) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: UnreadCountDto })
  readAll(@CurrentActor() actor: Actor) {
    return this.notifications.markAllRead(actor);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: UnreadCountDto })
  read(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.notifications.markRead(actor, String(id));
  }

  @Get('settings')
  @ApiOkResponse({ type: NotificationSettingsViewDto })
  settings(@CurrentActor() actor: Actor) {
    return this.notifications.settings(actor);
  }

  @Put('settings')
  @ApiOkResponse({ type: NotificationSettingsViewDto })
  setSettings(@Body() dto: NotificationSettingsDto, @CurrentActor() actor: Actor) {
    return this.notifications.setSettings(actor, dto.mode);
  }
}
