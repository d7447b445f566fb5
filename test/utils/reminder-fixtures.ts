import { nextSendTime, slotKey, tokyoToday } from '@app/domain';
import { build } from './builder';
import type { CycleFixture } from './cycle-fixtures';
import type { TestApp } from './test-app';

/** How many people a reminder cycle of `openReminderCycle` reminds per slot. */
export const REMINDED_PEOPLE = 61;

/**
 * A monthly cycle with a reminder schedule (7 and 3 business days before, the deadline, then
 * every 2 days overdue), opened today, with 58 more staff in section A: with chief-a, staff-a
 * and chief-b, 61 people to remind for each submit slot. Returns the cycle id.
 */
export async function openReminderCycle(t: TestApp, f: CycleFixture, code: string): Promise<number> {
  const auth = { Authorization: `Bearer ${f.users.planning.token}` };
  await build(t).users({ prefix: 'staff-a', namePrefix: '職員', count: 58, roles: ['staff'], section: f.sections.a });
  const tpl = await t
    .http()
    .post('/api/templates')
    .set(auth)
    .send({
      code,
      name: '市長公約 月次',
      planId: f.planId,
      periodType: 'monthly',
      scaleCode: 'progress4',
      submissionOffsetDays: 40,
      reminderSchedule: { beforeBusinessDays: [7, 3], onDeadline: true, overdueEveryBusinessDays: 2, overdueMaxCount: 5 },
    })
    .expect(201);
  const cycle = await t.http().post('/api/cycles').set(auth).send({ templateId: tpl.body.id, date: tokyoToday() }).expect(201);
  await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(auth).send({ action: 'open' }).expect(200);
  // These suites count digests; the 依頼 notices of the opening are test/notices.e2e-spec.ts's.
  await t.db.query(`DELETE FROM reminder_mails WHERE kind = 'notice'`);
  return cycle.body.id;
}

/** The start of the hour `hoursAgo` hours back: a send time already due. */
export const pastHour = (hoursAgo: number) => new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - hoursAgo * 3600_000);

/**
 * A moment already due that falls after the latest send hour, so a daily user's row of it waits
 * for the next daily mail, as a row written now does. pastHour(1) does not: between the send hour
 * and two hours after it, the start of the hour before can be the send hour itself, and its
 * daily mail is due at once. Waits out the first seconds after a send hour.
 */
export async function dueSinceLastSendHour(hour: number): Promise<Date> {
  for (;;) {
    const at = new Date(Date.now() - 1000);
    if (nextSendTime(new Date(at.getTime() - 1), hour).getTime() > Date.now()) return at;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Reads and moves the reminder rows of one cycle. */
export function reminderRows(t: TestApp, cycleId: number) {
  return {
    /** Moves one submit slot (kind, business days from the deadline) to `at`; answers its slot key. */
    async makeDue(kind: string, offset: number, at: Date): Promise<string> {
      const [[row]] = await t.db.query(
        `UPDATE reminder_slots SET send_at = $4 WHERE cycle_id = $1 AND audience = 'submit' AND kind = $2
            AND business_days_from_deadline = $3 RETURNING id`,
        [cycleId, kind, offset, at],
      );
      if (!row) throw new Error(`no ${kind} slot at ${offset} business days in cycle ${cycleId}`);
      return slotKey(at);
    },
    /** The mail rows of a slot, counted per status. */
    async statuses(key: string): Promise<Record<string, number>> {
      const rows: { status: string; n: number }[] = await t.db.query(
        `SELECT status, count(*)::int AS n FROM reminder_mails WHERE slot_key = $1 GROUP BY status`,
        [key],
      );
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
  };
}
