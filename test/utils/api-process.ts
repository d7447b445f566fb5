import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AppConfig } from '@app/config';
import { freePort } from './redis-process';

/** The compiled api, as production starts it (`npm run start:api`); `npx nest build api` makes it. */
export const API_MAIN = 'dist/apps/api/apps/api/src/main.js';

export interface ApiProcess {
  child: ChildProcess;
  port: number;
  /** The last few kB of what the process wrote to stdout and stderr. */
  output(): string;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The compiled api in its own process on a free loopback port, with the suite's configuration
 * (plus `overrides`) as its environment; resolves once it answers GET /health (any status).
 * A test can SIGTERM it, or see whether a fault made it crash.
 */
export async function startApiProcess(config: AppConfig, overrides: Record<string, string> = {}, timeoutMs = 45_000): Promise<ApiProcess> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run \`npx nest build api\` first (scripts/test.sh does)`);
  const port = await freePort();
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_OPTIONS: '' };
  for (const [key, value] of Object.entries(config)) if (value !== undefined && value !== null) env[key] = String(value);
  Object.assign(env, { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...overrides });
  const child = spawn(process.execPath, [API_MAIN], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d: Buffer) => (output = (output + d.toString()).slice(-8000));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  // 'close', not 'exit': by then everything the process wrote has been read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`the api exited at start: ${output}`);
    if (await answers(port)) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`the api did not answer within ${timeoutMs} ms: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, output: () => output, exited };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 3000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Ends the process (SIGKILL unless told otherwise) and waits for it; a no-op once it has exited. */
export async function stopApiProcess(api: ApiProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!api || api.child.exitCode !== null || api.child.signalCode !== null) return;
  api.child.kill(signal);
  await api.exited;
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
