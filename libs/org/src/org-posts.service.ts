import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Role } from '@app/domain';

/** The organisation as a personnel order reads it (libs/personnel). */
export interface OrgPostsSnapshot {
  users: { id: number; login: string; staffNumber: string | null; name: string; sectionId: number | null; roles: Role[]; active: boolean }[];
  sections: { id: number; code: string; name: string; departmentId: number; active: boolean }[];
  departments: { id: number; code: string; name: string; headUserId: number | null }[];
}

/**
 * Posts in the organisation: who sits in which section with which roles, and who heads each
 * department. The writes of a 人事異動 go through here (this lib owns users and departments);
 * the caller audits them in the same transaction.
 */
@Injectable()
export class OrgPostsService {
  async snapshot(em: EntityManager): Promise<OrgPostsSnapshot> {
    // One after the other: `em` may be a transaction's single connection.
    const users = await em.query(`SELECT id, login, staff_number AS "staffNumber", name, section_id AS "sectionId", roles, active FROM users ORDER BY id`);
    const sections = await em.query(`SELECT id, code, name, department_id AS "departmentId", active FROM sections ORDER BY id`);
    const departments = await em.query(`SELECT id, code, name, head_user_id AS "headUserId" FROM departments ORDER BY id`);
    return { users, sections, departments };
  }

  /** Locks the users and departments a transfer changes, so two applications never interleave. */
  async lock(em: EntityManager, userIds: number[]): Promise<void> {
    await em.query(`SELECT id FROM users WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [userIds]);
    await em.query(`SELECT id FROM departments ORDER BY id FOR UPDATE`);
  }

  async place(em: EntityManager, userId: number, sectionId: number | null, roles: Role[]): Promise<void> {
    await em.query(`UPDATE users SET section_id = $2, roles = $3, updated_at = now() WHERE id = $1`, [userId, sectionId, roles]);
  }

  async setHead(em: EntityManager, departmentId: number, userId: number | null): Promise<void> {
    await em.query(`UPDATE departments SET head_user_id = $2, updated_at = now() WHERE id = $1`, [departmentId, userId]);
  }
}
