import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Client } from 'pg';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';

const PARALLEL = 50;

/**
 * The audit log against its own application's login (finding 8): the api logs in as a role that
 * may only INSERT and SELECT audit_log, and every row is sealed into a SHA-256 chain that the
 * admin endpoint and `npm run audit:verify` recompute, naming the first broken link.
 */
describe('audit log: application role and hash chain', () => {
  let t: TestApp;
  let f: CycleFixture;
  let owner: Client;
  let admin: { id: number; token: string };
  let entryIds: number[];

  const verify = async () => (await t.http().get('/api/audit/verify').set(bearer(admin.token)).expect(200)).body;
  /** As the tables' owner, the one way the log can still be rewritten: triggers off, then SQL. */
  const asOwnerWithTriggersOff = async (sql: string | string[], params: unknown[] = []) => {
    await owner.query('BEGIN');
    try {
      await owner.query('ALTER TABLE audit_log DISABLE TRIGGER ALL');
      for (const statement of [sql].flat()) await owner.query(statement, params);
      for (const name of ['audit_log_no_update', 'audit_log_no_truncate', 'audit_log_unsealed', 'audit_log_seal']) {
        await owner.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER ${name}`);
      }
      await owner.query('COMMIT');
    } catch (error) {
      await owner.query('ROLLBACK');
      throw error;
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ DB_POOL_SIZE: '10' });
    f = await createCycleFixture(t);
    owner = await adminClient(t.config, t.config.DB_NAME);
    admin = await userWithToken(t, { login: 'admin', roles: ['admin'] });
    const auth = bearer(f.users.planning.token);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(auth)
      .send({ code: 'chain', name: '監査チェーン試験', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = (await t.http().post('/api/cycles').set(auth).send({ templateId: tpl.body.id, periodKey: '2024-H1' }).expect(201)).body;
    await t.http().post(`/api/cycles/${cycle.id}/actions`).set(auth).send({ action: 'open' }).expect(200);
    const b = build(t);
    const itemIds = await b.items({ planId: f.planId, count: PARALLEL, firstNumber: 1001, title: '監査チェーン項目', sections: [f.sections.a] });
    entryIds = await b.entriesFor({
      cycleId: cycle.id,
      itemIds,
      sectionId: f.sections.a,
      state: 'draft',
      editor: f.users.staffA.id,
      rating: null,
      progress: null,
    });
  });
  afterAll(async () => {
    await owner?.end();
    await t?.close();
  });

  it(`stays one unbroken chain under ${PARALLEL} state changes committed at once, every row sealed`, async () => {
    const before = await verify();
    expect(before).toMatchObject({ ok: true, firstBreak: null });
    const results = await Promise.all(
      entryIds.map((id) =>
        t
          .http()
          .put(`/api/entries/${id}`)
          .set(bearer(f.users.staffA.token))
          .send({ version: 1, progress: `並行保存 ${id}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(entryIds.map(() => 200));

    const report = await verify();
    const [{ n, seqs, unsealed }] = await t.db.query(
      `SELECT count(*)::int AS n, count(DISTINCT chain_seq)::int AS seqs, count(*) FILTER (WHERE hash IS NULL)::int AS unsealed,
              max(chain_seq)::int AS max FROM audit_log`,
    );
    expect(unsealed).toBe(0);
    expect(seqs).toBe(n);
    expect(report).toMatchObject({ ok: true, checked: n, pending: 0, firstBreak: null });
    const [head] = await t.db.query(
      `SELECT chain_seq::text AS "chainSeq", id::text AS id, encode(hash, 'hex') AS hash FROM audit_log ORDER BY chain_seq DESC LIMIT 1`,
    );
    expect(report.head).toEqual(head);
    const saves = await t.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'entry.save'`);
    expect(saves[0].n).toBe(PARALLEL);
  });

  it('never makes a writer wait for the chain: with the chain head taken, a change commits unsealed and is sealed later', async () => {
    await owner.query('BEGIN');
    try {
      await owner.query('SELECT * FROM audit_chain_head FOR UPDATE');
      const started = Date.now();
      const res = await t.http().put(`/api/entries/${entryIds[0]}`).set(bearer(f.users.staffA.token)).send({ version: 2, progress: '先頭を握られても保存' });
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5000);
      const [row] = await t.db.query(`SELECT chain_seq FROM audit_log WHERE action = 'entry.save' AND subject_id = $1 ORDER BY id DESC LIMIT 1`, [
        String(entryIds[0]),
      ]);
      expect(row.chain_seq).toBeNull();
    } finally {
      await owner.query('ROLLBACK');
    }
    const report = await verify();
    expect(report).toMatchObject({ ok: true, sealedNow: 1, pending: 0 });
  });

  it('gives the application role no way to change, remove or unchain a row', async () => {
    const [{ current_user: role }] = await t.db.query(`SELECT current_user`);
    expect(role).toBe(t.config.DB_USER);
    expect(role).not.toBe(t.config.DB_MIGRATION_USER);
    const [row] = await t.db.query(`SELECT id, comment FROM audit_log ORDER BY id LIMIT 1`);
    await expect(t.db.query(`UPDATE audit_log SET comment = 'x' WHERE id = $1`, [row.id])).rejects.toThrow(/permission denied for table audit_log/);
    await expect(t.db.query(`DELETE FROM audit_log WHERE id = $1`, [row.id])).rejects.toThrow(/permission denied for table audit_log/);
    await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/permission denied for table audit_log/);
    await expect(t.db.query(`ALTER TABLE audit_log DISABLE TRIGGER ALL`)).rejects.toThrow(/must be owner of table audit_log/);
    await expect(t.db.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied to set parameter "session_replication_role"/);
    await expect(t.db.query(`UPDATE audit_chain_head SET last_seq = 0`)).rejects.toThrow(/permission denied for table audit_chain_head/);
    // Chain values brought by a writer are replaced by the sealer's.
    await t.db.query(`INSERT INTO audit_log (action, subject_type, subject_id, chain_seq, hash) VALUES ('test.forged', 'test', '1', 1, '\\x00')`);
    const [forged] = await t.db.query(`SELECT chain_seq::int AS seq, encode(hash, 'hex') AS hash FROM audit_log WHERE action = 'test.forged'`);
    expect(forged.seq).toBeGreaterThan(1);
    expect(forged.hash).toHaveLength(64);
    expect((await t.db.query(`SELECT comment FROM audit_log WHERE id = $1`, [row.id]))[0].comment).toBe(row.comment);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('keeps the rows immutable for the owner too unless it disables the triggers (session_replication_role no longer skips them)', async () => {
    const [row] = await owner.query(`SELECT id FROM audit_log ORDER BY id LIMIT 1`).then((r) => r.rows);
    await owner.query('BEGIN');
    await owner.query('SET LOCAL session_replication_role = replica');
    await expect(owner.query(`UPDATE audit_log SET comment = 'x' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await owner.query('ROLLBACK');
  });

  it('names the row an owner changed with the triggers disabled, and the verify script exits 1', async () => {
    const [row] = (
      await owner.query(
        `SELECT id::text AS id, chain_seq::text AS seq, comment FROM audit_log WHERE action = 'entry.save' ORDER BY chain_seq LIMIT 1 OFFSET 10`,
      )
    ).rows;
    await asOwnerWithTriggersOff(`UPDATE audit_log SET comment = '書き換え' WHERE id = $1`, [row.id]);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ problem: 'changed', id: row.id, chainSeq: row.seq });
    expect(report.firstBreak.message).toContain(`id ${row.id} の内容が記録時のハッシュと一致しません`);
    expect(report.firstBreak.expected).not.toBe(report.firstBreak.actual);

    const cli = await runVerifyScript(t);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`行 id: ${row.id}`);

    // Changed back exactly, the chain holds again: the hash covers the content, nothing else.
    await asOwnerWithTriggersOff(`UPDATE audit_log SET comment = $2 WHERE id = $1`, [row.id, row.comment]);
    expect(await verify()).toMatchObject({ ok: true });
    const ok = await runVerifyScript(t);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('監査ログのチェーンは正常です');
  }, 60_000);

  it('names the row after one an owner deleted, and a lost tail', async () => {
    const rows = (await owner.query(`SELECT id::text AS id, chain_seq::text AS seq FROM audit_log ORDER BY chain_seq`)).rows;
    const [gone, next] = [rows[20], rows[21]];
    await asOwnerWithTriggersOff(`DELETE FROM audit_log WHERE id = $1`, [gone.id]);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ problem: 'missing', id: next.id, chainSeq: next.seq, expected: gone.seq });
    expect(report.firstBreak.message).toContain(`連番 ${gone.seq} の行がありません`);
    expect(report.checked).toBe(21);

    // Renumbering the rest to hide the gap only moves the break to the prev_hash link.
    // (Through negative numbers: the unique index checks each row as it is updated.)
    const shift = (by: number) => [
      `UPDATE audit_log SET chain_seq = -(chain_seq + ${by}) WHERE chain_seq ${by < 0 ? '>' : '>='} $1`,
      `UPDATE audit_log SET chain_seq = -chain_seq WHERE chain_seq < 0 AND $1::bigint IS NOT NULL`,
    ];
    await asOwnerWithTriggersOff(shift(-1), [gone.seq]);
    expect((await verify()).firstBreak).toMatchObject({ problem: 'relinked', id: next.id });
    await asOwnerWithTriggersOff(shift(1), [gone.seq]);

    // Deleting everything from there on leaves an intact chain, but the chain head still counts the rows.
    await asOwnerWithTriggersOff(`DELETE FROM audit_log WHERE chain_seq >= $1`, [gone.seq]);
    const lost = await verify();
    expect(lost.firstBreak).toMatchObject({ problem: 'tail-missing', id: null, chainSeq: rows[rows.length - 1].seq });
    expect(lost.firstBreak.message).toContain(`末尾の ${rows.length - 20} 行`);
    expect(lost.checked).toBe(20);
  });

  it('is for administrators only', async () => {
    for (const user of [f.users.planning, f.users.staffA, f.users.evaluator, f.users.chiefA]) {
      await t.http().get('/api/audit/verify').set(bearer(user.token)).expect(403);
    }
    await t.http().get('/api/audit/verify').expect(401);
  });
});

/** `npm run audit:verify` against the suite's database, as an operator would run it. */
async function runVerifyScript(t: TestApp): Promise<{ code: number; stdout: string }> {
  const env = { ...process.env, DB_NAME: t.config.DB_NAME, DB_USER: t.config.DB_USER, NODE_OPTIONS: '' };
  try {
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'audit:verify'], { env, timeout: 50_000 });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
