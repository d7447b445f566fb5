import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { AppConfig } from '@app/config';
import { TenantsService } from '@app/database';

export interface OutgoingMail {
  to: string;
  cc: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** One pooled SMTP transporter per process, created on first use. */
@Injectable()
export class MailTransportService implements OnModuleDestroy {
  private transporter: ReturnType<typeof createTransport> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly tenants: TenantsService,
  ) {}

  private get transport() {
    if (!this.transporter) {
      const c = this.config;
      this.transporter = createTransport({
        pool: true,
        maxConnections: 5,
        host: c.SMTP_HOST,
        port: c.SMTP_PORT,
        secure: c.SMTP_SECURE,
        auth: c.SMTP_USER ? { user: c.SMTP_USER, pass: c.SMTP_PASSWORD ?? '' } : undefined,
        // A hung server fails the attempt instead of holding a sender forever; the send lease
        // is renewed meanwhile, so a slow server never makes the sweeper hand the mail on.
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 60_000,
      });
    }
    return this.transporter;
  }

  /**
   * Sends one mail. With copies, the server may refuse the addressee and take the copies; that
   * is a failure of this mail (the addressee did not get it), reported like a 5xx.
   */
  async send(mail: OutgoingMail): Promise<void> {
    const info = await this.transport.sendMail({
      // The sender of the municipality the mail is sent for (the job's tenant).
      from: this.tenants.tenantConfig().MAIL_FROM,
      to: mail.to,
      cc: mail.cc.length ? mail.cc : undefined,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      textEncoding: 'base64',
    });
    const rejected = ((info.rejected ?? []) as (string | { address: string })[]).map((a) => (typeof a === 'string' ? a : a.address).toLowerCase());
    if (rejected.includes(mail.to.toLowerCase())) {
      const reason = (info as { rejectedErrors?: (Error & { response?: string; responseCode?: number })[] }).rejectedErrors?.[0];
      const error = new Error(reason?.response ?? reason?.message ?? `recipient ${mail.to} rejected`) as Error & { responseCode: number };
      error.responseCode = reason?.responseCode ?? 550;
      throw error;
    }
  }

  onModuleDestroy(): void {
    this.transporter?.close();
    this.transporter = null;
  }
}

/** SMTP 5xx replies are permanent: retrying cannot help (unknown mailbox, policy rejection). */
export function isPermanentSmtpError(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
