import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A port nobody listens on right now (the kernel's pick for port 0, closed again). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One PING over a raw socket: true when a Redis server answers +PONG within `timeoutMs`. */
function ping(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let answer = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('error', () => done(false));
    socket.on('data', (d: Buffer) => {
      answer += d.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/**
 * A redis-server of a test's own, as a child process on 127.0.0.1: no RDB snapshots and no
 * AOF, so a restart after kill() comes back empty, like a Redis that lost its data. It can be
 * SIGKILLed (a crash: no shutdown, clients see their connections reset) and started again on
 * the same port.
 */
export class RedisProcess {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(readonly port: number) {}

  static async start(port?: number): Promise<RedisProcess> {
    const redis = new RedisProcess(port ?? (await freePort()));
    await redis.start();
    return redis;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts redis-server on the port; resolves once it answers PING. */
  async start(timeoutMs = 10_000): Promise<void> {
    if (this.child) return;
    this.output = '';
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
        '--daemonize',
        'no',
        '--dir',
        '/tmp',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    const collect = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-4000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    let exited = false;
    child.once('exit', () => {
      exited = true;
      if (this.child === child) this.child = null;
    });
    const until = Date.now() + timeoutMs;
    while (!(await ping(this.port))) {
      if (exited) throw new Error(`redis-server on port ${this.port} exited at start: ${this.output}`);
      if (Date.now() > until) {
        await this.kill();
        throw new Error(`redis-server on port ${this.port} did not answer PING within ${timeoutMs} ms: ${this.output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL, like a crash or an OOM kill; resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGSTOP: the process stays, its connections stay open, and nothing is answered (a stalled host, a long fork). */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT after freeze(). */
  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Killed, then started again (empty) on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }
}
