import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { AppConfig } from '@app/config';

/** Starts test/utils/worker-child.ts with the suite's configuration; resolves once it is running. */
export async function startWorkerProcess(config: AppConfig, timeoutMs = 45_000): Promise<ChildProcess> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_OPTIONS: '' };
  for (const [key, value] of Object.entries(config)) if (value !== undefined && value !== null) env[key] = String(value);
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'test/utils/worker-child.ts'], {
    cwd: process.cwd(),
    env: { ...env, TS_NODE_PROJECT: 'tsconfig.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker child did not start: ${errors}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('worker-ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker child exited (${code}): ${errors}`));
    });
  });
  return child;
}

export async function killWorkerProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}
