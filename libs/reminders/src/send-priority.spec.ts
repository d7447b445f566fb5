import { MAILS_PER_JOB, sendPriority } from './reminder-relay.service';

describe('sendPriority: send jobs ranked within their tenant', () => {
  it("takes every tenant's k-th job before any tenant's (k+1)-th, FIFO among equals", () => {
    // Tenant A queues 10,000 mails (400 jobs), then B its 10 (one job) while all of A's still wait.
    const queue = [
      ...Array.from({ length: 400 }, (_, i) => ({ tenant: 'A', priority: sendPriority(0, i) })),
      { tenant: 'B', priority: sendPriority(0, 0) },
      // A's next batch, queued behind its 10,000: ranked after them, not beside B.
      ...Array.from({ length: 8 }, (_, i) => ({ tenant: 'A2', priority: sendPriority(10_000, i) })),
    ];
    const taken = queue.map((job, at) => ({ ...job, at })).sort((x, y) => x.priority - y.priority || x.at - y.at);
    expect(taken.findIndex((j) => j.tenant === 'B')).toBe(1);
    expect(taken.findIndex((j) => j.tenant === 'A2')).toBe(401);
  });

  it('counts what is queued in jobs, and never exceeds BullMQ’s priority limit', () => {
    expect(sendPriority(MAILS_PER_JOB - 1, 0)).toBe(sendPriority(0, 0));
    expect(sendPriority(MAILS_PER_JOB, 0)).toBe(sendPriority(0, 1));
    expect(sendPriority(10 ** 12, 5)).toBe(2 ** 21 - 1);
  });
});
