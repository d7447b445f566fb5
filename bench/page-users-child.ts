// Page users in their own process (for the 09:00 peak): the latency they see is not delayed by
// the bench process's SMTP sink and mail counting. Reads the users' tokens from the file named
// by BENCH_PAGE_TOKENS; on `go <windowMs>` from stdin each user arrives at a random moment in the
// window and opens its pages one after the other; answers `pages-done {json}`.
import { readFileSync } from 'node:fs';
import { HttpClient } from './http-client';

const PAGES = ['/api/approvals/inbox', '/api/entries/mine'];

async function user(client: HttpClient, token: string, delayMs: number, out: { ms: number[]; errors: number; at: number[] }, t0: number) {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  for (const path of PAGES) {
    const start = process.hrtime.bigint();
    const res = await client.json('GET', path, undefined, token);
    out.ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    out.at.push(Date.now() - t0);
    if (res.status !== 200) out.errors++;
  }
}

async function run(windowMs: number): Promise<void> {
  const tokens: string[] = JSON.parse(readFileSync(process.env.BENCH_PAGE_TOKENS!, 'utf8'));
  // One socket per user, as each browser has its own connection.
  const client = new HttpClient(Number(process.env.BENCH_PAGE_PORT), tokens.length);
  const out = { ms: [] as number[], errors: 0, at: [] as number[] };
  const t0 = Date.now();
  await Promise.all(tokens.map((token) => user(client, token, Math.random() * windowMs, out, t0)));
  client.close();
  process.stdout.write(`pages-done ${JSON.stringify(out)}\n`);
}

let input = '';
process.stdin.on('data', (d) => {
  input += d.toString();
  let nl;
  while ((nl = input.indexOf('\n')) >= 0) {
    const [command, arg] = input.slice(0, nl).trim().split(' ');
    input = input.slice(nl + 1);
    if (command === 'go') void run(Number(arg));
  }
});
process.stdout.write('pages-ready\n');
