import { approversNow, EntryRouting, pendingStep, RouteUser } from '@app/approvals/domain/approval-route';
import { Post, postOf, rolesForPost } from '@app/domain';
import type { Role } from '@app/domain';
import { Indexed, TransferRow } from './transfer-file';

/** A person's place after the file: section, roles, the department they head. */
export interface Placement {
  userId: number;
  sectionId: number | null;
  roles: Role[];
  headOf: number | null;
}

export interface TransferPlan {
  /** Every person the rows change (rows that change nothing are left out). */
  moves: (Placement & { row: number; before: Placement })[];
  /** Departments whose head changes: id → new head (null: none left). */
  heads: Map<number, number | null>;
  /**
   * Who takes over a moved person's post (the one person whose place after the file is the
   * moved person's place before it), or null when nobody or more than one does.
   */
  successors: Map<number, number | null>;
}

const placeKey = (post: Post, p: { sectionId: number | null; headOf: number | null }) =>
  post === 'department_head' ? `head:${p.headOf}` : `${post}:${p.sectionId}`;

/** What the rows do to the organisation, computed without touching it. */
export function planTransfer(index: Indexed, rows: readonly TransferRow[]): TransferPlan {
  const placeOf = (id: number): Placement => {
    const u = index.users.get(id)!;
    return { userId: id, sectionId: u.sectionId, roles: [...u.roles], headOf: index.headOf.get(id) ?? null };
  };
  const after = new Map<number, Placement>();
  const moves: TransferPlan['moves'] = [];
  for (const r of rows) {
    const before = placeOf(r.userId);
    const next: Placement = {
      userId: r.userId,
      sectionId: r.sectionId,
      roles: rolesForPost(before.roles, r.post),
      headOf: r.post === 'department_head' ? r.departmentId : null,
    };
    const same = before.sectionId === next.sectionId && before.headOf === next.headOf && sameRoles(before.roles, next.roles);
    if (same) continue;
    after.set(r.userId, next);
    moves.push({ ...next, row: r.row, before });
  }
  const heads = new Map<number, number | null>();
  for (const m of moves) if (m.before.headOf !== null && m.before.headOf !== m.headOf) heads.set(m.before.headOf, null);
  for (const m of moves) if (m.headOf !== null) heads.set(m.headOf, m.userId);

  // Places after the file, to find who sits where a moved person sat.
  const holders = new Map<string, number[]>();
  for (const u of index.users.values()) {
    if (!u.active) continue;
    const p = after.get(u.id) ?? placeOf(u.id);
    const key = placeKey(postOf(p, p.headOf !== null), p);
    holders.set(key, [...(holders.get(key) ?? []), u.id]);
  }
  const successors = new Map<number, number | null>();
  for (const m of moves) {
    const list = (holders.get(placeKey(postOf(m.before, m.before.headOf !== null), m.before)) ?? []).filter((id) => id !== m.userId);
    successors.set(m.userId, list.length === 1 ? list[0] : null);
  }
  return { moves, heads, successors };
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r));
}

/** The routing of a pending entry as it will be after the plan: new department head, the item's evaluator handed on. */
export function routingAfter(entry: EntryRouting, plan: TransferPlan, departmentOfSection: (sectionId: number) => number): EntryRouting {
  const dept = departmentOfSection(entry.sectionId);
  const head = plan.heads.has(dept) ? plan.heads.get(dept)! : entry.departmentHeadUserId;
  const evaluator =
    entry.evaluatorUserId !== null && plan.successors.has(entry.evaluatorUserId) ? plan.successors.get(entry.evaluatorUserId)! : entry.evaluatorUserId;
  return { ...entry, departmentHeadUserId: head, evaluatorUserId: evaluator };
}

/** Users as the routes see them after the plan. */
export function routeUsersAfter(users: readonly RouteUser[], plan: TransferPlan): RouteUser[] {
  const moved = new Map(plan.moves.map((m) => [m.userId, m]));
  return users.map((u) => {
    const m = moved.get(u.id);
    return m ? { ...u, sectionId: m.sectionId, roles: m.roles } : u;
  });
}

export interface ApproverChange {
  entryId: number;
  cycleId: number;
  stepLabel: string;
  sectionId: number;
  before: number[];
  after: number[];
}

/** For each pending entry, who must act before and after the plan; only the entries whose approvers change. */
export function approverChanges(
  entries: readonly EntryRouting[],
  users: readonly RouteUser[],
  plan: TransferPlan,
  departmentOfSection: (sectionId: number) => number,
): ApproverChange[] {
  const usersAfter = routeUsersAfter(users, plan);
  const out: ApproverChange[] = [];
  for (const e of entries) {
    const step = pendingStep(e);
    if (!step) continue;
    const before = approversNow(e, users);
    const after = approversNow(routingAfter(e, plan, departmentOfSection), usersAfter);
    if (before.length === after.length && before.every((id) => after.includes(id))) continue;
    out.push({ entryId: e.entryId, cycleId: e.cycleId, stepLabel: step.label, sectionId: e.sectionId, before, after });
  }
  return out;
}
