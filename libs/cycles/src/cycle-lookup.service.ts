import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A cycle as lists elsewhere name it. */
export interface CycleHeading {
  id: number;
  label: string;
  state: string;
  /** YYYY-MM-DD */
  reviewDeadline: string;
}

/**
 * Typed reads of cycles for other libs (approvals, entries), batched by id so a caller joins them
 * in memory instead of joining cycles in its own SQL. Routes: CycleRoutesService.
 */
@Injectable()
export class CycleLookupService {
  constructor(private readonly dataSource: DataSource) {}

  /** The open cycles (where entries wait for approval). */
  async openCycles(em: EntityManager = this.dataSource.manager): Promise<CycleHeading[]> {
    return em.query(`SELECT id, label, state, to_char(review_deadline, 'YYYY-MM-DD') AS "reviewDeadline" FROM cycles WHERE state = 'open' ORDER BY id`);
  }

  /** The cycles by id (ids not found are absent). */
  async headingsOf(cycleIds: readonly number[], em: EntityManager = this.dataSource.manager): Promise<Map<number, CycleHeading>> {
    const ids = [...new Set(cycleIds)];
    if (!ids.length) return new Map();
    const rows: CycleHeading[] = await em.query(
      `SELECT id, label, state, to_char(review_deadline, 'YYYY-MM-DD') AS "reviewDeadline" FROM cycles WHERE id = ANY($1::int[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }
}
