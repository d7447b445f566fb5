// The 09:00 peak's baseline sender in its own process, as the worker is: nodemailer's pooled
// transporter (the worker's connection count, as many sends at a time) sending BENCH_RAW_COUNT
// copies of the mail in the file BENCH_RAW_MAIL to the SMTP server of the config, on `go` from
// stdin; answers `raw-done <ms>`.
import { readFileSync } from 'node:fs';
import { createTransport } from 'nodemailer';

async function send(): Promise<void> {
  // The bench's config, as spawnBenchChild passes it in the environment.
  const config = { SMTP_HOST: process.env.SMTP_HOST!, SMTP_PORT: Number(process.env.SMTP_PORT), MAIL_FROM: process.env.MAIL_FROM! };
  const mail: { subject: string; text: string; html: string } = JSON.parse(readFileSync(process.env.BENCH_RAW_MAIL!, 'utf8'));
  const count = Number(process.env.BENCH_RAW_COUNT);
  const connections = Number(process.env.BENCH_RAW_CONNECTIONS);
  const transport = createTransport({ pool: true, maxConnections: connections, host: config.SMTP_HOST, port: config.SMTP_PORT, secure: false });
  const t0 = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < count; i = next++) {
        await transport.sendMail({
          from: config.MAIL_FROM,
          to: `raw-${i}@bench.example.jp`,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: `<raw-${i}-${Date.now()}@hyoka>`,
          textEncoding: 'base64',
        });
      }
    }),
  );
  transport.close();
  process.stdout.write(`raw-done ${Number(process.hrtime.bigint() - t0) / 1e6}\n`);
}

process.stdin.on('data', (d) => {
  if (d.toString().includes('go')) void send();
});
process.stdout.write('raw-ready\n');
