import { build } from './builder';
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
  const b = build(t);
  const departmentId = await b.department({ code: 'd1', name: 'こども未来部' });
  const section = (code: string, name: string) => b.section({ departmentId, code, name });
  const sections = { a: await section('a', 'こども支援課'), b: await section('b', '保育幼稚園課'), c: await section('c', '経営企画課') };
  const ids = {
    planning: await b.user({ login: 'planning', section: sections.c, roles: ['planning'] }),
    chiefA: await b.user({ login: 'chief-a', section: sections.a, roles: ['chief'] }),
    staffA: await b.user({ login: 'staff-a', section: sections.a, roles: ['staff'] }),
    chiefB: await b.user({ login: 'chief-b', section: sections.b, roles: ['chief'] }),
    evaluator: await b.user({ login: 'eval-d1', section: null, roles: ['evaluator'] }),
  };
  await t.db.query(`UPDATE departments SET head_user_id = $1 WHERE id = $2`, [ids.evaluator, departmentId]);
  const planId = await b.plan({ code: 'pledges', name: '市長公約', kind: 'pledge' });
  const items = [
    await b.item({ planId, number: 1, title: '18歳までの医療費完全無料化', sections: [sections.a, sections.b] }),
    await b.item({ planId, number: 2, title: '小・中学校の給食費無料化', sections: [sections.a] }),
    await b.item({ planId, number: 3, title: '中核市に移行', sections: [sections.c] }),
  ];
  await b.kpi({ itemId: items[1], name: '実施園数', unit: '園' });
  const users = {
    planning: { id: ids.planning, token: await b.token('planning') },
    chiefA: { id: ids.chiefA, token: await b.token('chief-a') },
    staffA: { id: ids.staffA, token: await b.token('staff-a') },
    chiefB: { id: ids.chiefB, token: await b.token('chief-b') },
    evaluator: { id: ids.evaluator, token: await b.token('eval-d1') },
  };
  return { planId, departmentId, sections, items, users };
}
