import * as bcrypt from 'bcryptjs';
import type { TestApp } from './test-app';

export interface CycleFixture {
  planId: number;
  departmentId: number;
  sections: { a: number; b: number; c: number };
  items: number[];
  users: Record<'planning' | 'chiefA' | 'staffA' | 'chiefB' | 'evaluator', { id: number; token: string }>;
}

/**
 * A small organisation: one department with sections A, B, C; a plan of three items where
 * item 1 is reported by A and B (one row each), item 2 by A, item 3 by C; and users.
 */
export async function createCycleFixture(t: TestApp): Promise<CycleFixture> {
  const q = (sql: string, params: unknown[] = []) => t.db.query(sql, params);
  const [dept] = await q(`INSERT INTO departments (code, name) VALUES ('d1', 'こども未来部') RETURNING id`);
  const section = async (code: string, name: string) =>
    (await q(`INSERT INTO sections (department_id, code, name) VALUES ($1, $2, $3) RETURNING id`, [dept.id, code, name]))[0].id;
  const sections = { a: await section('a', 'こども支援課'), b: await section('b', '保育幼稚園課'), c: await section('c', '経営企画課') };
  const hash = await bcrypt.hash('password', 4);
  const user = async (login: string, sectionId: number | null, roles: string[]) =>
    (
      await q(`INSERT INTO users (login, name, email, section_id, roles, password_hash) VALUES ($1, $1, $1 || '@example.jp', $2, $3, $4) RETURNING id`, [
        login,
        sectionId,
        roles,
        hash,
      ])
    )[0].id as number;
  const ids = {
    planning: await user('planning', sections.c, ['planning']),
    chiefA: await user('chief-a', sections.a, ['chief']),
    staffA: await user('staff-a', sections.a, ['staff']),
    chiefB: await user('chief-b', sections.b, ['chief']),
    evaluator: await user('eval-d1', null, ['evaluator']),
  };
  await q(`UPDATE departments SET head_user_id = $1 WHERE id = $2`, [ids.evaluator, dept.id]);
  const [plan] = await q(`INSERT INTO plans (code, name, kind) VALUES ('pledges', '市長公約', 'pledge') RETURNING id`);
  const item = async (n: number, title: string, sectionIds: number[]) => {
    const [row] = await q(`INSERT INTO plan_items (plan_id, number, title) VALUES ($1, $2, $3) RETURNING id`, [plan.id, n, title]);
    for (const [sort, sid] of sectionIds.entries()) {
      await q(`INSERT INTO plan_item_sections (item_id, section_id, sort) VALUES ($1, $2, $3)`, [row.id, sid, sort]);
    }
    return row.id as number;
  };
  const items = [
    await item(1, '18歳までの医療費完全無料化', [sections.a, sections.b]),
    await item(2, '小・中学校の給食費無料化', [sections.a]),
    await item(3, '中核市に移行', [sections.c]),
  ];
  await q(`INSERT INTO plan_item_kpis (item_id, name, unit) VALUES ($1, '実施園数', '園')`, [items[1]]);
  const token = async (login: string) => (await t.http().post('/api/auth/login').send({ login, password: 'password' }).expect(200)).body.accessToken as string;
  const users = {
    planning: { id: ids.planning, token: await token('planning') },
    chiefA: { id: ids.chiefA, token: await token('chief-a') },
    staffA: { id: ids.staffA, token: await token('staff-a') },
    chiefB: { id: ids.chiefB, token: await token('chief-b') },
    evaluator: { id: ids.evaluator, token: await token('eval-d1') },
  };
  return { planId: plan.id, departmentId: dept.id, sections, items, users };
}
