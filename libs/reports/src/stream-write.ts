import type { Writable } from 'node:stream';

const clientGone = () => new Error('client went away');

/** Resolves at the next 'drain'; rejects when the client goes away first. */
function drain(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(clientGone());
    out.once('drain', onDrain);
    out.once('close', onClose);
    out.once('error', done);
  });
}

/** Writes a chunk and waits for 'drain' when the socket's buffer is full (backpressure). */
export function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (out.destroyed) return Promise.reject(clientGone());
  if (out.write(chunk)) return Promise.resolve();
  return drain(out);
}

/**
 * Waits while the socket's buffer is full, for a writer that cannot see the backpressure of what
 * it writes through (exceljs' zip stream) and so pauses between its batches instead.
 */
export function drained(out: Writable): Promise<void> {
  if (out.destroyed) return Promise.reject(clientGone());
  return out.writableNeedDrain ? drain(out) : Promise.resolve();
}
