import { AuditChainService } from '@app/audit';
import { runInTenant } from '@app/database';
import { build, tenant } from './utils/builder';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';

/**
 * One audit chain per municipality (migration 1732000011970): each tenant's rows are chained on
 * their own head, numbered from 1, so a municipality verifies its chain alone, under row-level
 * security, without any other's rows; and a commit of one never waits for another's chain head.
 */
describe('audit: one hash chain per municipality', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ TENANCY: 'multi', MUNICIPALITY_CODE: '112259', MUNICIPALITY_NAME: '入間市' });
    const owner = await adminClient(t.config, t.config.DB_NAME);
    try {
      await tenant(owner, { id: 2, code: '131016', name: '千代田区' });
    } finally {
      await owner.end();
    }
    const b = build(t);
    // Interleaved, as two municipalities' days are.
    for (let i = 0; i < 6; i++) {
      const id = i % 3 === 2 ? 2 : 1;
      await runInTenant(id, () => b.audit({ actorUserId: null, action: 'test.note', subjectType: 'note', subjectId: `${id}-${i}` }));
    }
  });
  afterAll(() => t?.close());

  const chainOf = (id: number) =>
    runInTenant(id, () => t.db.query(`SELECT chain_seq::int AS seq, subject_id AS subject FROM audit_log WHERE subject_type = 'note' ORDER BY chain_seq`));

  it('numbers each municipality’s rows from 1 on its own chain', async () => {
    expect(await chainOf(1)).toEqual([
      { seq: 1, subject: '1-0' },
      { seq: 2, subject: '1-1' },
      { seq: 3, subject: '1-3' },
      { seq: 4, subject: '1-4' },
    ]);
    expect(await chainOf(2)).toEqual([
      { seq: 1, subject: '2-2' },
      { seq: 2, subject: '2-5' },
    ]);
  });

  it('verifies each chain as its municipality, seeing only its own rows', async () => {
    const chains = t.app.get(AuditChainService);
    const iruma = await runInTenant(1, () => chains.verify());
    const chiyoda = await runInTenant(2, () => chains.verify());
    expect(iruma).toMatchObject({ ok: true, checked: 4, firstBreak: null });
    expect(chiyoda).toMatchObject({ ok: true, checked: 2, firstBreak: null, head: expect.objectContaining({ chainSeq: '2' }) });
  });

  it('shows a municipality its own chain head only', async () => {
    const heads = await runInTenant(2, () => t.db.query(`SELECT tenant_id AS "tenantId", last_seq::int AS "lastSeq" FROM audit_chain_head`));
    expect(heads).toEqual([{ tenantId: 2, lastSeq: 2 }]);
  });
});
