import type { Writable } from 'node:stream';

/** Writes a chunk and waits for 'drain' when the socket's buffer is full (backpressure). */
export function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('client went away'));
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', done);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('client went away'));
    out.once('drain', onDrain);
    out.once('close', onClose);
    out.once('error', done);
  });
}
