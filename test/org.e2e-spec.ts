import { createTestApp, TestApp } from './utils/test-app';
import { build } from './utils/builder';
import { bearer, createDepartment, createSection, userWithToken } from './utils/factories';

describe('organisation (e2e)', () => {
  let t: TestApp;
  let admin: { id: number; token: string };
  let planning: { id: number; token: string };
  let staff: { id: number; token: string };
  let deptId: number;

  beforeAll(async () => {
    t = await createTestApp();
    deptId = await createDepartment(t, { code: 'd-main', name: '総合政策部' });
    const own = await createSection(t, { departmentId: deptId, code: 'own', name: '経営企画課' });
    admin = await userWithToken(t, { login: 'admin', roles: ['admin'] });
    planning = await userWithToken(t, { login: 'planning', roles: ['planning'], sectionId: own });
    staff = await userWithToken(t, { login: 'staff', roles: ['staff'], sectionId: own });
  });
  afterAll(() => t.close());

  it('lets planning create departments and sections, and everyone read them; staff cannot write', async () => {
    const dept = await t.http().post('/api/org/departments').set(bearer(planning.token)).send({ code: 'd-kodomo', name: 'こども未来部' }).expect(201);
    const section = await t
      .http()
      .post('/api/org/sections')
      .set(bearer(planning.token))
      .send({ departmentId: dept.body.id, code: 'kodomo', name: 'こども支援課', validFrom: '2021-04-01' })
      .expect(201);
    expect(section.body).toMatchObject({
      name: 'こども支援課',
      displayName: 'こども支援課',
      nameHistory: [{ name: 'こども支援課', validFrom: '2021-04-01', validTo: null }],
    });
    const list = await t.http().get('/api/org/sections').set(bearer(staff.token)).expect(200);
    expect(list.body.map((s: { code: string }) => s.code)).toContain('kodomo');
    await t.http().post('/api/org/departments').set(bearer(staff.token)).send({ code: 'd-x', name: 'x' }).expect(403);
    const dup = await t
      .http()
      .post('/api/org/sections')
      .set(bearer(planning.token))
      .send({ departmentId: dept.body.id, code: 'kodomo', name: 'x' })
      .expect(409);
    expect(dup.body.field).toBe('code');
    const bad = await t.http().post('/api/org/sections').set(bearer(planning.token)).send({ departmentId: 99999, code: 'zz', name: 'x' }).expect(422);
    expect(bad.body.field).toBe('departmentId');
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM audit_log WHERE action IN ('department.create', 'section.create')`);
    expect(count).toBe(2);
  });

  it('renames a section keeping its id and its name history', async () => {
    const id = await createSection(t, { departmentId: deptId, code: 'joho', name: '情報管理課', validFrom: '2015-04-01' });
    const res = await t
      .http()
      .post(`/api/org/sections/${id}/rename`)
      .set(bearer(planning.token))
      .send({ name: '情報政策課', effectiveFrom: '2022-04-01' })
      .expect(200);
    expect(res.body).toMatchObject({ id, name: '情報政策課', displayName: '情報政策課(令和4年度より。旧 情報管理課)' });
    expect(res.body.nameHistory).toEqual([
      expect.objectContaining({ name: '情報管理課', validFrom: '2015-04-01', validTo: '2022-03-31' }),
      expect.objectContaining({ name: '情報政策課', validFrom: '2022-04-01', validTo: null }),
    ]);
    const got = await t.http().get(`/api/org/sections/${id}`).set(bearer(staff.token)).expect(200);
    expect(got.body.displayName).toBe('情報政策課(令和4年度より。旧 情報管理課)');
    const [row] = await t.db.query(`SELECT name FROM sections WHERE id = $1`, [id]);
    expect(row.name).toBe('情報政策課');
    const early = await t
      .http()
      .post(`/api/org/sections/${id}/rename`)
      .set(bearer(planning.token))
      .send({ name: 'X課', effectiveFrom: '2022-04-01' })
      .expect(422);
    expect(early.body.field).toBe('effectiveFrom');
    await t.http().post(`/api/org/sections/${id}/rename`).set(bearer(planning.token)).send({ name: 'X課', effectiveFrom: '2022-13-01' }).expect(400);
    const [audit] = await t.db.query(`SELECT before, after FROM audit_log WHERE action = 'section.rename' AND subject_id = $1`, [String(id)]);
    expect(audit).toEqual({ before: { name: '情報管理課' }, after: { name: '情報政策課', effectiveFrom: '2022-04-01' } });
  });

  it('merges a section: source retired, its items moved to the target without duplicates', async () => {
    const source = await createSection(t, { departmentId: deptId, code: 'src', name: '旧課' });
    const target = await createSection(t, { departmentId: deptId, code: 'dst', name: '新課' });
    const plan = { id: await build(t).plan({ code: 'merge-plan', name: 'p', kind: 'program' }) };
    const item = (n: number, sections: number[]) =>
      build(t).item({ planId: plan.id, number: n, title: 't', sections: sections.map((s) => ({ sectionId: s, content: `c${s}` })) });
    const onlySource = await item(1, [source]);
    const both = await item(2, [source, target]);
    const res = await t
      .http()
      .post(`/api/org/sections/${source}/merge`)
      .set(bearer(planning.token))
      .send({ intoSectionId: target, effectiveFrom: '2024-04-01' })
      .expect(200);
    expect(res.body).toMatchObject({ movedItems: 1, skippedItems: 1, source: { active: false, mergedIntoId: target } });
    const rows = await t.db.query(`SELECT item_id, section_id, content FROM plan_item_sections WHERE item_id = ANY($1) ORDER BY item_id`, [[onlySource, both]]);
    expect(rows).toEqual([
      { item_id: onlySource, section_id: target, content: `c${source}` },
      { item_id: both, section_id: target, content: `c${target}` },
    ]);
    const [src] = await t.db.query(`SELECT active, merged_into_id FROM sections WHERE id = $1`, [source]);
    expect(src).toEqual({ active: false, merged_into_id: target });
    const again = await t
      .http()
      .post(`/api/org/sections/${source}/merge`)
      .set(bearer(planning.token))
      .send({ intoSectionId: target, effectiveFrom: '2024-04-01' })
      .expect(422);
    expect(again.body.field).toBe('id');
    await t
      .http()
      .post(`/api/org/sections/${target}/merge`)
      .set(bearer(planning.token))
      .send({ intoSectionId: target, effectiveFrom: '2024-04-01' })
      .expect(422);
  });

  it('lets admin manage users; planning reads; passwords are hashed and never returned', async () => {
    const [section] = await t.db.query(`SELECT id FROM sections WHERE code = 'own'`);
    const created = await t
      .http()
      .post('/api/org/users')
      .set(bearer(admin.token))
      .send({ login: 'new-user', name: '新 職員', email: 'new-user@example.jp', sectionId: section.id, roles: ['staff'], password: 'secret-pass' })
      .expect(201);
    expect(created.body).toMatchObject({ login: 'new-user', roles: ['staff'], sectionId: section.id, active: true });
    // No password field or value (the passwordChangeRequired flag is neither).
    expect(JSON.stringify(created.body)).not.toMatch(/"password(Hash|_hash)?"|secret-pass/i);
    expect(created.body.passwordChangeRequired).toBe(true);
    const [row] = await t.db.query(`SELECT password_hash FROM users WHERE login = 'new-user'`);
    expect(row.password_hash).toMatch(/^scrypt\$\d+\$/);
    await t.http().post('/api/auth/login').send({ login: 'new-user', password: 'secret-pass' }).expect(200);

    await t
      .http()
      .post('/api/org/users')
      .set(bearer(planning.token))
      .send({ login: 'x-user', name: 'x', email: 'x@example.jp', roles: ['staff'], password: 'password1' })
      .expect(403);
    const list = await t.http().get('/api/org/users').set(bearer(planning.token)).expect(200);
    expect(list.body.map((u: { login: string }) => u.login)).toContain('new-user');
    expect(JSON.stringify(list.body)).not.toMatch(/"password(Hash|_hash)?"|secret-pass/i);
    await t.http().get('/api/org/users').set(bearer(staff.token)).expect(403);

    const bad = await t
      .http()
      .post('/api/org/users')
      .set(bearer(admin.token))
      .send({ login: 'y-user', name: 'y', email: 'not-mail', roles: ['boss'], password: 'short' })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/email/);
    expect(JSON.stringify(bad.body.message)).toMatch(/roles/);
    expect(JSON.stringify(bad.body.message)).toMatch(/password/);
    // A guessable password is refused by name (the policy), before anything is written.
    const weak = await t
      .http()
      .post('/api/org/users')
      .set(bearer(admin.token))
      .send({ login: 'weak-user', name: 'w', email: 'w@example.jp', roles: ['staff'], password: 'password123' })
      .expect(422);
    expect(weak.body).toMatchObject({ field: 'password', message: 'password: よく使われるパスワードは使用できません' });
    expect(await t.db.query(`SELECT id FROM users WHERE login = 'weak-user'`)).toEqual([]);
    const dup = await t
      .http()
      .post('/api/org/users')
      .set(bearer(admin.token))
      .send({ login: 'new-user', name: 'y', email: 'y@example.jp', roles: ['staff'], password: 'Another-Passw0rd' })
      .expect(409);
    expect(dup.body.field).toBe('login');

    await t
      .http()
      .patch(`/api/org/users/${created.body.id}`)
      .set(bearer(admin.token))
      .send({ roles: ['chief'], password: 'another-pass' })
      .expect(200);
    await t.http().post('/api/auth/login').send({ login: 'new-user', password: 'another-pass' }).expect(200);
    await t.http().delete(`/api/org/users/${created.body.id}`).set(bearer(admin.token)).expect(200);
    await t.http().post('/api/auth/login').send({ login: 'new-user', password: 'another-pass' }).expect(401);
    const audits = await t.db.query(`SELECT action, after FROM audit_log WHERE subject_type = 'user' AND subject_id = $1 ORDER BY id`, [
      String(created.body.id),
    ]);
    // Each sign-in opened a session, and the reset and the deactivation each ended the one open then.
    expect(audits.map((a: { action: string }) => a.action)).toEqual([
      'user.create',
      'session.start',
      'session.end',
      'user.update',
      'session.start',
      'session.end',
      'user.deactivate',
    ]);
    expect(JSON.stringify(audits)).not.toMatch(/passwordHash|\$2[aby]\$/);
  });
});
