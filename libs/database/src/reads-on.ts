import type { EntityManager } from 'typeorm';

type Reads = readonly (() => unknown)[];
type Results<T extends Reads> = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };

/**
 * Independent reads through `em`: side by side on the pool when `em` is the pool's manager, one
 * after the other when it is a transaction's (one connection: pg 8 warns of a query() while one
 * runs, pg 9 refuses it, and queued they would gain nothing anyway).
 */
export async function readsOn<T extends Reads>(em: EntityManager | undefined, reads: T): Promise<Results<T>> {
  if (!em?.queryRunner) return (await Promise.all(reads.map((read) => read()))) as Results<T>;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as Results<T>;
}
