import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-process';

const run = promisify(execFile);

/** `redis-cli -p <port> <args>` on loopback; its answer, trimmed. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });
  return stdout.trim();
}

/**
 * One redis-server child on a loopback port, in a temporary directory of its own (its
 * nodes.conf or sentinel.conf lives there), started with `extra` arguments. No RDB and no AOF:
 * killed and started again it comes back empty (a cluster node keeps its slots through its
 * nodes.conf). Stopped by its PID.
 */
export class RedisServer {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly args: (port: number) => string[],
    private readonly binary = 'redis-server',
  ) {}

  get running(): boolean {
    return this.child !== null;
  }

  async start(timeoutMs = 10_000): Promise<void> {
    if (this.child) return;
    const child = spawn(this.binary, this.args(this.port), { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const collect = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-4000));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (!this.child) throw new Error(`redis on ${this.port} exited at start: ${this.output}`);
      if ((await redisCli(this.port, 'PING').catch(() => '')) === 'PONG') return;
      if (Date.now() > until) throw new Error(`redis on ${this.port} did not answer PING: ${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILL (a crash); resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}

const baseArgs = (port: number) => [
  '--port',
  String(port),
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
  '--loglevel',
  'warning',
];

/** A Redis Cluster of `size` primaries (no replicas) on loopback, made with `redis-cli --cluster create`. */
export class RedisClusterProcesses {
  readonly nodes: RedisServer[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'hyoka-redis-cluster-'));

  static async start(size = 3): Promise<RedisClusterProcesses> {
    const cluster = new RedisClusterProcesses();
    try {
      for (let i = 0; i < size; i++) {
        const port = await freePort();
        const dir = mkdtempSync(join(cluster.dir, `node-${port}-`));
        const node = new RedisServer(port, dir, (p) => [
          ...baseArgs(p),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, 'nodes.conf'),
          // A dead node is noticed within 2 s, not the default 15.
          '--cluster-node-timeout',
          '2000',
          '--dir',
          dir,
        ]);
        cluster.nodes.push(node);
        await node.start();
      }
      await run('redis-cli', ['--cluster', 'create', ...cluster.nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], {
        timeout: 30_000,
      });
      await cluster.waitUntilOk();
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** REDIS_CLUSTER_NODES for the suite (every node; any one would do). */
  get seedNodes(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  /** The node that holds `key`'s slot. */
  async ownerOf(key: string): Promise<RedisServer> {
    const slot = Number(await redisCli(this.nodes[0].port, 'CLUSTER', 'KEYSLOT', key));
    const map = await redisCli(this.nodes[0].port, 'CLUSTER', 'NODES');
    for (const line of map.split('\n')) {
      const [, address, flags, , , , , , ...ranges] = line.split(' ');
      if (!flags.includes('master')) continue;
      const owns = ranges.some((r) => {
        const [from, to] = r.split('-').map(Number);
        return slot >= from && slot <= (to ?? from);
      });
      if (owns) return this.nodes.find((n) => address.startsWith(`127.0.0.1:${n.port}@`))!;
    }
    throw new Error(`no node owns slot ${slot}`);
  }

  /** Until every running node says cluster_state:ok. */
  async waitUntilOk(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(this.nodes.filter((n) => n.running).map((n) => redisCli(n.port, 'CLUSTER', 'INFO').catch(() => '')));
      if (states.every((s) => s.includes('cluster_state:ok'))) return;
      if (Date.now() > until) throw new Error(`cluster not ok within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) await node.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A primary, one replica of it and three sentinels (quorum 2) on loopback, the sentinels
 * watching the primary under `name`. failover() asks a sentinel to promote the replica.
 */
export class RedisSentinelProcesses {
  readonly sentinels: RedisServer[] = [];
  primary!: RedisServer;
  replica!: RedisServer;
  private readonly dir = mkdtempSync(join(tmpdir(), 'hyoka-redis-sentinel-'));

  constructor(readonly name = 'hyoka-test') {}

  static async start(name?: string): Promise<RedisSentinelProcesses> {
    const set = new RedisSentinelProcesses(name);
    try {
      const primaryPort = await freePort();
      set.primary = new RedisServer(primaryPort, set.dir, (p) => [...baseArgs(p), '--dir', set.dir]);
      await set.primary.start();
      set.replica = new RedisServer(await freePort(), set.dir, (p) => [...baseArgs(p), '--dir', set.dir, '--replicaof', '127.0.0.1', String(primaryPort)]);
      await set.replica.start();
      for (let i = 0; i < 3; i++) {
        const port = await freePort();
        const conf = join(set.dir, `sentinel-${port}.conf`);
        // Sentinel rewrites its config file, so each gets its own, written before it starts.
        writeFileSync(
          conf,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `sentinel monitor ${set.name} 127.0.0.1 ${primaryPort} 2`,
            `sentinel down-after-milliseconds ${set.name} 1000`,
            `sentinel failover-timeout ${set.name} 5000`,
            `sentinel parallel-syncs ${set.name} 1`,
            '',
          ].join('\n'),
        );
        const sentinel = new RedisServer(port, set.dir, () => [conf, '--sentinel', '--loglevel', 'warning']);
        set.sentinels.push(sentinel);
        await sentinel.start();
      }
      await set.waitForReplicaSeen();
      return set;
    } catch (error) {
      await set.stop();
      throw error;
    }
  }

  get sentinelNodes(): string {
    return this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
  }

  /** The port the sentinels name as primary now. */
  async primaryPort(): Promise<number> {
    const answer = await redisCli(this.sentinels[0].port, 'SENTINEL', 'get-master-addr-by-name', this.name);
    return Number(answer.split('\n')[1]);
  }

  /** The sentinels know the replica (a failover needs one to promote). */
  private async waitForReplicaSeen(timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const replicas = await redisCli(this.sentinels[0].port, 'SENTINEL', 'replicas', this.name).catch(() => '');
      const synced = (await redisCli(this.replica.port, 'INFO', 'replication').catch(() => '')).includes('master_link_status:up');
      if (synced && replicas.includes(String(this.replica.port))) return;
      if (Date.now() > until) throw new Error('sentinels did not see the replica');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SENTINEL FAILOVER, then until the sentinels name the replica as primary. */
  async failover(timeoutMs = 20_000): Promise<void> {
    await redisCli(this.sentinels[0].port, 'SENTINEL', 'FAILOVER', this.name);
    const until = Date.now() + timeoutMs;
    while ((await this.primaryPort()) !== this.replica.port) {
      if (Date.now() > until) throw new Error('failover did not happen');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    for (const server of [...this.sentinels, this.replica, this.primary]) await server?.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
