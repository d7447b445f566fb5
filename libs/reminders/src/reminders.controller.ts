import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe } from '@app/common';
import { CycleRemindersDto, MyRemindersDto, ReminderMailDto } from './dto/reminder-mail.dto';
import { RemindersService } from './reminders.service';

@ApiTags('reminders')
@ApiBearerAuth()
@Controller()
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  /** My next reminder send times and the entries each would list now. */
  @Get('reminders/mine')
  @ApiOkResponse({ type: MyRemindersDto })
  mine(@CurrentActor() actor: Actor) {
    return this.reminders.mine(actor);
  }

  /** The reminder mails of a cycle: counts per status, failures with their errors, every row. */
  @Get('cycles/:id/reminders')
  @ApiOkResponse({ type: CycleRemindersDto })
  @Roles('planning', 'admin')
  forCycle(@Param('id', IdPipe) id: number) {
    return this.reminders.forCycle(id);
  }

  /** Queues a finished (failed, cancelled or sent) mail again as a new row. */
  @Post('reminders/:id/resend')
  @HttpCode(201)
  @Roles('planning', 'admin')
  @ApiCreatedResponse({ type: ReminderMailDto })
  resend(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.reminders.resend(String(id), actor);
  }
}
