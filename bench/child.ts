import { execSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AppConfig } from '@app/config';

/**
 * A TypeScript script of bench/ in its own Node process, with `config` as its environment, so
 * its resident memory is its own. Resolves with the first stdout line matching `ready`.
 */
export async function spawnBenchChild(
  script: string,
  config: AppConfig,
  ready: RegExp,
  timeoutMs = 60_000,
  /** Variables for the child beyond the config (bench switches such as BENCH_COUNT_QUERIES). */
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_OPTIONS: '', TS_NODE_PROJECT: 'tsconfig.json' };
  for (const [key, value] of Object.entries(config)) if (value !== undefined && value !== null) env[key] = String(value);
  Object.assign(env, extraEnv);
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // A .js script runs as plain Node (the compiled app); a .ts one through ts-node.
  const loader = script.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'] : [];
  const child = spawn(process.execPath, [...profile, ...loader, script], {
    cwd: process.cwd(),
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-4000)));
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${errors}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(ready);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}): ${errors}`));
    });
  });
  return { child, match };
}

/** The next stdout line of `child` matching `pattern`. */
export function nextLine(child: ChildProcess, pattern: RegExp, timeoutMs = 300_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.stdout!.off('data', onData);
      reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(pattern);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process in bytes, from /proc (Linux), as process.memoryUsage().rss reports its own. */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** The kernel's high-water mark of the RSS (VmHWM), reset to the current RSS first if `reset`. */
function highWaterMark(pid: number, reset = false): number | null {
  try {
    if (reset) writeFileSync(`/proc/${pid}/clear_refs`, '5');
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Samples a process's RSS every `everyMs` until stopped: the RSS at start and the peak. Where
 * the kernel lets us reset the high-water mark, the peak also counts spikes between samples.
 */
export function sampleRss(pid: number, everyMs = 20): { stop: () => { before: number; peak: number; exact: boolean } } {
  const exact = highWaterMark(pid, true) !== null;
  const before = rssOf(pid);
  let peak = before;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid));
    } catch {
      // the process ended; the peak so far stands
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      try {
        peak = Math.max(peak, rssOf(pid), (exact && highWaterMark(pid)) || 0);
      } catch {
        // ended
      }
      return { before, peak, exact };
    },
  };
}

export const MiB = 2 ** 20;

/** What the api child (BENCH_COUNT_QUERIES) sent to the database while `fn` ran. */
export async function countQueries(
  child: ChildProcess,
  fn: () => Promise<unknown>,
): Promise<{ roundTrips: number; statements: Record<string, number>; texts: Record<string, number> }> {
  child.stdin!.write('count-start\n');
  // The child reads its stdin on the event loop: give it a moment to take the command first.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await fn();
  const answer = nextLine(child, /query-counts (\{.*\})/, 10_000);
  child.stdin!.write('count-stop\n');
  return JSON.parse((await answer)[1]);
}

const CLOCK_TICKS_PER_SECOND = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

/** CPU time (user + system, ms) of each process still running, from /proc (Linux); `systemOnly`: the kernel's part alone. */
export function cpuMsOf(pids: number[], systemOnly = false): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      // The fields after the command (which may hold spaces) start at state; utime and stime are the 12th and 13th after it.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
      out.set(pid, (((systemOnly ? 0 : Number(fields[11])) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND);
    } catch {
      // gone
    }
  }
  return out;
}
