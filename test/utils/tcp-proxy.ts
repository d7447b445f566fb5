import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a server (PostgreSQL on 127.0.0.1:5432 by default) that a
 * test can partition: while partitioned it forwards nothing in either direction and drops what
 * it receives, but closes no connection and still accepts new ones, so both sides see a
 * network that went silent (no reset, no FIN), as when a link or a firewall drops packets.
 * heal() forwards again; bytes dropped during the partition stay lost, like the requests and
 * answers of connections that were cut off.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  /** Pairs one side of which closed during a partition: the other side learns of it at heal(). */
  private readonly cutOff = new Set<[Socket, Socket]>();
  private partitioned = false;
  /** Pairs frozen by freezeOpen(): silent for good, while new connections pass. */
  private readonly frozen = new Set<[Socket, Socket]>();
  port = 0;

  constructor(
    private readonly targetPort = 5432,
    private readonly targetHost = '127.0.0.1',
  ) {}

  async start(): Promise<this> {
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    this.server = server;
    return this;
  }

  /** From now on nothing passes, in either direction; connections stay open. */
  partition(): void {
    this.partitioned = true;
  }

  /**
   * The connections open now go silent for good (nothing forwarded, nothing closed), while new
   * ones pass: a half-dead link that only a client opening a fresh connection gets past.
   */
  freezeOpen(): void {
    for (const pair of this.pairs) this.frozen.add(pair);
  }

  heal(): void {
    this.partitioned = false;
    for (const [a, b] of this.cutOff) {
      a.destroy();
      b.destroy();
    }
    this.cutOff.clear();
  }

  /** Connections through the proxy right now. */
  get connections(): number {
    return this.pairs.size;
  }

  async stop(): Promise<void> {
    for (const [a, b] of [...this.pairs, ...this.cutOff]) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
    this.cutOff.clear();
    this.frozen.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private pipe(client: Socket): void {
    const upstream = createConnection({ port: this.targetPort, host: this.targetHost });
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (!this.partitioned && !this.frozen.has(pair) && !to.destroyed) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      this.pairs.delete(pair);
      this.frozen.delete(pair);
      this.cutOff.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // A side that closes (or fails) closes the other, except during a partition: then nothing
    // crosses, not even the close, until the surviving side gives up by itself.
    for (const socket of pair) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        if (!this.partitioned && !this.frozen.has(pair)) close();
        else if (this.pairs.delete(pair)) this.cutOff.add(pair);
      });
    }
  }
}
