import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The demo's supervisor (scripts/lib.sh start_process / supervise / stop_process), run for real
 * against a dummy node script: a process killed with SIGKILL comes back, with a growing wait
 * logged; stop_process (what down.sh runs) stops the loop and the process, with one SIGTERM.
 */
describe('scripts/lib.sh supervisor', () => {
  const dir = join(process.cwd(), 'test-output', `supervisor-${process.pid}`);
  const log = join(dir, 'dummy.log');
  const dummy = join(process.cwd(), 'test', 'fixtures', 'supervised-dummy.js');
  const env = { ...process.env, HYOKA_RUN_DIR: join(dir, 'run'), HYOKA_LOG_DIR: dir };
  const lib = (script: string) => {
    const r = spawnSync('bash', ['-c', `. scripts/lib.sh; ${script}`], { env, encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) throw new Error(`lib.sh: ${r.status} ${r.stdout} ${r.stderr}`);
    return r.stdout;
  };
  const pidOf = (name: string) => {
    const file = join(dir, 'run', `${name}.pid`);
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : null;
  };
  const alive = (pid: number | null) => pid !== null && existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  const until = async (what: string, check: () => boolean, timeoutMs = 10_000) => {
    const end = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; log:\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  let supervisor: number | null = null;

  beforeAll(() => mkdirSync(dir, { recursive: true }));
  afterAll(() => {
    // Never leave the loop behind, whatever failed.
    for (const pid of [supervisor, pidOf('dummy')]) if (alive(pid)) process.kill(pid!, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('restarts a process killed with SIGKILL, backing off, and stop_process ends both the loop and the process', async () => {
    lib(`start_process dummy "${log}" node "${dummy}"`);
    supervisor = pidOf('dummy.supervisor');
    const first = pidOf('dummy');
    expect(alive(supervisor)).toBe(true);
    await until('the first start', () => readFileSync(log, 'utf8').includes(`dummy started pid=${first}`));

    process.kill(first!, 'SIGKILL');
    await until('a restart', () => alive(pidOf('dummy')) && pidOf('dummy') !== first);
    const second = pidOf('dummy')!;
    expect(readFileSync(log, 'utf8')).toMatch(/supervisor: dummy exited \(killed by signal KILL\) after \d+s; restarting in 1s/);
    await until('the second start', () => readFileSync(log, 'utf8').includes(`dummy started pid=${second}`));

    process.kill(second, 'SIGKILL');
    await until('a second restart', () => alive(pidOf('dummy')) && pidOf('dummy') !== second);
    expect(readFileSync(log, 'utf8')).toContain('restarting in 2s');
    const third = pidOf('dummy')!;
    await until('the third start', () => readFileSync(log, 'utf8').includes(`dummy started pid=${third}`));
    expect(lib('supervisor_alive dummy && pid_alive dummy && echo both-alive')).toContain('both-alive');

    lib('stop_process dummy');
    expect(alive(third)).toBe(false);
    expect(alive(supervisor)).toBe(false);
    expect(existsSync(join(dir, 'run', 'dummy.pid'))).toBe(false);
    expect(existsSync(join(dir, 'run', 'dummy.supervisor.pid'))).toBe(false);
    const text = readFileSync(log, 'utf8');
    // One SIGTERM, passed on by the supervisor, and no restart after the stop.
    expect(text.match(/dummy got SIGTERM/g)).toEqual(['dummy got SIGTERM']);
    expect(text).toMatch(/supervisor: dummy stopped\n$/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(pidOf('dummy')).toBeNull();
  }, 60_000);
});
