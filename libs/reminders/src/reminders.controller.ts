import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { attachmentDisposition, IdPipe } from '@app/common';
import { ReminderLogQueryDto } from './dto/reminder-log-query.dto';
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

  /** The reminder mails of a cycle (to one recipient, of one kind, if asked): counts per status, failures with their errors, every row. */
  @Get('cycles/:id/reminders')
  @ApiOkResponse({ type: CycleRemindersDto })
  @Roles('planning', 'admin')
  forCycle(@Param('id', IdPipe) id: number, @Query() query: ReminderLogQueryDto) {
    return this.reminders.forCycle(id, query);
  }

  /** The same send log as CSV (UTF-8 with BOM), for the records or a spreadsheet. */
  @Get('cycles/:id/reminders.csv')
  @Roles('planning', 'admin')
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async forCycleCsv(@Param('id', IdPipe) id: number, @Query() query: ReminderLogQueryDto, @Res() res: Response) {
    const csv = await this.reminders.logCsv(id, query);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachmentDisposition(csv.filename, csv.fallback));
    res.send(csv.body);
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
