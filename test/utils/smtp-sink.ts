import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';

/** A message the sink accepted (answered 250 to), with what the tests look at parsed out. */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  raw: string;
  headers: Record<string, string>;
  subject: string;
  messageId: string;
  to: string[];
  cc: string[];
  text: string;
  html: string;
}

/**
 * An in-process SMTP server on 127.0.0.1 that records every message it accepts. It can be
 * stopped and started again on the same port, can reject recipients with a 5xx, and can hold
 * its answers (pause): a held message counts as received only once it is acknowledged, like a
 * real server, so a client killed while waiting for the answer has not delivered it.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  port = 0;
  /** Recipients answered with 550 at RCPT TO. */
  rejectRecipients = new Set<string>();
  /** How long each message waits for its answer: a slow server. */
  delayMs = 0;
  /**
   * Runs once a message is recorded, before the 250 goes back: the message counts as accepted
   * (as at a real server that has queued it), and the client learns so only when this is done.
   */
  onAccepted: ((mail: ReceivedMail) => Promise<void> | void) | null = null;
  private server: SMTPServer | null = null;
  private paused = false;
  private held: { session: string; release: () => void }[] = [];
  private closedSessions = new Set<string>();
  private openSessionIds = new Set<string>();
  private listeners: (() => void)[] = [];

  async start(port = this.port): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 100,
      onRcptTo: (address, _session, callback) => {
        if (this.rejectRecipients.has(address.address.toLowerCase())) {
          const error = new Error('5.1.1 mailbox unavailable') as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => this.onData(stream, session, callback),
      onConnect: (session, callback) => {
        this.openSessionIds.add(session.id);
        callback();
      },
      onClose: (session) => {
        this.openSessionIds.delete(session.id);
        this.closedSessions.add(session.id);
        for (const l of [...this.listeners]) l();
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined);
    const address = server.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** SMTP connections the sink has not yet seen closed. */
  get openSessions(): number {
    return this.openSessionIds.size;
  }

  /** Hold every answer from now on (messages stay unacknowledged and unrecorded). */
  pause(): void {
    this.paused = true;
  }

  /** Answer the held messages whose connection is still open, and answer at once again. */
  resume(): void {
    this.paused = false;
    const held = this.held.splice(0);
    for (const h of held) if (!this.closedSessions.has(h.session)) h.release();
  }

  countByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.messages) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
    return counts;
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.envelope.to.includes(address));
  }

  /** Resolves when `predicate` holds, checked after every accepted message. */
  async waitFor(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
    if (predicate()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(new Error(`smtp sink: condition not met within ${timeoutMs} ms (${this.messages.length} messages)`));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
      };
      const release = () => {
        const mail = parseMail(raw, envelope);
        this.messages.push(mail);
        const answer = () => {
          callback();
          for (const l of [...this.listeners]) l();
        };
        if (!this.onAccepted) return answer();
        void Promise.resolve()
          .then(() => this.onAccepted?.(mail))
          .catch((error: Error) => process.stderr.write(`smtp sink onAccepted: ${error.message}\n`))
          .then(answer);
      };
      if (this.paused) this.held.push({ session: session.id, release });
      else if (this.delayMs > 0) {
        // Like a held message: one whose client vanished while it waited was never acknowledged.
        setTimeout(() => {
          if (this.paused) this.held.push({ session: session.id, release });
          else if (!this.closedSessions.has(session.id)) release();
        }, this.delayMs);
      } else release();
    });
  }
}

/** Headers (unfolded, lower-case names, first occurrence) and body of a MIME entity. */
function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end === -1 ? normalized : normalized.slice(0, end);
  const body = end === -1 ? '' : normalized.slice(end + 2);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

/** RFC 2047 encoded words (B and Q, any charset Node knows); adjacent words join without the space. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, text: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    });
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable': {
      const bytes = body.replace(/=\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    default:
      return body;
  }
}

function parts(raw: string): { type: string; content: string }[] {
  const { headers, body } = splitEntity(raw);
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((p) => !p.startsWith('--'))
      .flatMap((p) => parts(p.replace(/^\n/, '')));
  }
  return [{ type: type.split(';')[0].trim().toLowerCase(), content: decodeBody(body, headers['content-transfer-encoding']) }];
}

function addresses(value: string | undefined): string[] {
  return (decodeWords(value ?? '').match(/[^\s<>,"]+@[^\s<>,"]+/g) ?? []).map((a) => a.toLowerCase());
}

export function parseMail(raw: string, envelope: ReceivedMail['envelope']): ReceivedMail {
  const { headers } = splitEntity(raw);
  const all = parts(raw);
  return {
    envelope,
    raw,
    headers,
    subject: decodeWords(headers['subject'] ?? ''),
    messageId: headers['message-id'] ?? '',
    to: addresses(headers['to']),
    cc: addresses(headers['cc']),
    text: all.find((p) => p.type === 'text/plain')?.content ?? '',
    html: all.find((p) => p.type === 'text/html')?.content ?? '',
  };
}
