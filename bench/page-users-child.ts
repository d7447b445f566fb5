// Page users in their own process (for the 09:00 peak): the latency they see is not delayed by
// the bench process's SMTP sink and mail counting. Reads the users' tokens from the file named
// by BENCH_PAGE_TOKENS; on `go <windowMs>` from stdin each user arrives at a random moment in the
// window and opens its pages one after the other; answers `pages-done {json}`.
import { readFileSync } from 'node:fs';
import { HttpClient } from './http-client';

const PAGES = ['/api/approvals/inbox', '/api/entries/mine'];

async function user(port: number, token: string, delayMs: number, out: { ms: number[]; errors: number; at: number[] }, t0: number) {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  // Each user its own connection, opened as they arrive (a browser's), so none sits idle into the server's keep-alive timeout.
  const client = new HttpClient(port, 1);
  try {
    for (const path of PAGES) {
      const start = process.hrtime.bigint();
      const res = await client.json('GET', path, undefined, token).catch(() => ({ status: 0 }));
      out.ms.push(Number(process.hrtime.bigint() - start) / 1e6);
      out.at.push(Date.now() - t0);
      if (res.status !== 200) out.errors++;
    }
  } finally {
    client.close();
  }
}

async function run(windowMs: number): Promise<void> {
  const tokens: string[] = JSON.parse(readFileSync(process.env.BENCH_PAGE_TOKENS!, 'utf8'));
  const port = Number(process.env.BENCH_PAGE_PORT);
  const out = { ms: [] as number[], errors: 0, at: [] as number[] };
  const t0 = Date.now();
  await Promise.all(tokens.map((token) => user(port, token, Math.random() * windowMs, out, t0)));
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
