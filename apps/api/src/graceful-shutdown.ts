import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

/** How often, while draining, connections that carry no request are closed. */
const IDLE_SWEEP_MS = 250;

/**
 * Drains the api on SIGTERM (a deploy, a scale-down) instead of Nest's immediate close.
 *
 * Stopping the listener alone is not enough: keep-alive clients go on sending on the
 * connections they hold (the process served thousands of requests and exited only when the
 * clients left). So while draining every answer says `Connection: close` — also the answers
 * of requests already running — and connections with no request on them are closed; the
 * requests in flight finish. Whatever is still open after SHUTDOWN_GRACE_SECONDS is cut.
 * Then Nest closes the modules (database pool, queues) and the process exits.
 */
export class GracefulShutdown {
  private readonly logger = new Logger('shutdown');
  private readonly inFlight = new Set<Response>();
  private draining = false;

  /** Express middleware, first in the chain: marks answers while draining, tracks the requests in flight. */
  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    if (this.draining) res.setHeader('Connection', 'close');
    else {
      this.inFlight.add(res);
      const done = () => this.inFlight.delete(res);
      res.once('finish', done);
      res.once('close', done);
    }
    next();
  };

  /** Drains on SIGTERM and SIGINT, then exits (0, or 1 when the grace period ran out or closing failed). */
  listen(app: INestApplication, graceSeconds: number): void {
    const onSignal = (signal: NodeJS.Signals) => {
      void this.drain(app, graceSeconds, signal).then(
        (clean) => process.exit(clean ? 0 : 1),
        (error: unknown) => {
          this.logger.error(`shutdown failed: ${(error as Error).stack ?? String(error)}`);
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  /** Resolves true when every connection ended by itself within the grace period. */
  async drain(app: INestApplication, graceSeconds: number, signal = 'SIGTERM'): Promise<boolean> {
    if (this.draining) return false;
    this.draining = true;
    const server = app.getHttpServer() as Server;
    this.logger.log(`${signal}: draining ${this.inFlight.size} requests in flight (grace ${graceSeconds} s)`);
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    // net.Server's close, not http.Server's: the latter also closes idle connections at once,
    // racing a keep-alive client that is writing its next request at this very moment. Here
    // such a request is still read and answered (with Connection: close).
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceSeconds * 1000)));
    const cut = await Promise.race([closed.then(() => false), timedOut]);
    clearInterval(sweep);
    clearTimeout(timer);
    if (cut) {
      this.logger.warn(`grace period of ${graceSeconds} s over: closing ${this.inFlight.size} unfinished requests`);
      server.closeAllConnections();
    }
    // Whatever hangs in closing the modules (a Redis that does not answer) does not hold the exit.
    const hardStop = setTimeout(() => {
      this.logger.error('modules did not close within 5 s: exiting anyway');
      process.exit(1);
    }, 5000);
    hardStop.unref();
    await app.close();
    clearTimeout(hardStop);
    this.logger.log('stopped');
    return !cut;
  }
}
