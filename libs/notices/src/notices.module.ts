import { Module } from '@nestjs/common';
import { MailTransportService } from '@app/reminders/mail-transport.service';
import { NoticeSenderService } from './notice-sender.service';

/** The sender of notice_mails, for the worker (writers are plain functions: account-locked.ts). */
@Module({
  providers: [NoticeSenderService, MailTransportService],
  exports: [NoticeSenderService],
})
export class NoticesModule {}
