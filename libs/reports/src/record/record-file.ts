import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** One file of the record as the manifest lists it. */
export interface RecordFile {
  name: string;
  description: string;
  mediaType: string;
  size: number;
  sha256: string;
  /** Where it waits on disk until the ZIP is streamed. */
  path: string;
}

/**
 * Runs a streaming writer into `dir/name`. The writers end their stream themselves (the
 * exports do); one that does not is ended here.
 */
export async function writeFileFrom(dir: string, name: string, writer: (out: Writable) => Promise<void>): Promise<string> {
  const path = join(dir, name);
  const file = createWriteStream(path);
  const out = new PassThrough();
  out.pipe(file);
  const done = finished(file);
  try {
    await writer(out);
  } catch (error) {
    out.destroy();
    file.destroy();
    throw error;
  }
  if (!out.writableEnded) out.end();
  await done;
  return path;
}

/** Size and SHA-256 of a file on disk, read as a stream. */
export async function describeFile(path: string, name: string, description: string, mediaType: string): Promise<RecordFile> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { name, description, mediaType, size: (await stat(path)).size, sha256: hash.digest('hex'), path };
}
