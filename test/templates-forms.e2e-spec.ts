import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * A template's form is checked as a whole before it is stored: the 422 lists every problem in
 * Japanese, each naming its field, and nothing is written. The first version's field list
 * (`required: 'always'`) is still accepted and stored in today's shape.
 */
describe('templates: form validation', () => {
  let t: TestApp;
  let f: CycleFixture;
  const auth = () => ({ Authorization: `Bearer ${f.users.planning.token}` });
  const base = () => ({ name: '事務事業評価', planId: f.planId, periodType: 'fiscal_year', scaleCode: 'abcd' });
  const post = (code: string, fields: unknown[]) =>
    t
      .http()
      .post('/api/templates')
      .set(auth())
      .send({ ...base(), code, fields });
  const stored = async (code: string) => (await t.db.query(`SELECT version, fields FROM cycle_templates WHERE code = $1`, [code]))[0];

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
  });
  afterAll(() => t?.close());

  it('refuses a duplicate key, naming it', async () => {
    const res = await post('dup', [
      { key: 'sdgs', label: '関連するSDGs', type: 'multi_choice', options: [{ value: '1', label: '1 貧困をなくそう' }] },
      { key: 'sdgs', label: 'SDGsの補足', type: 'short_text' },
    ]).expect(422);
    expect(res.body).toMatchObject({ error: 'invalid', field: 'fields' });
    expect(res.body.errors).toEqual([{ field: 'fields', message: '項目「sdgs」が重複しています' }]);
    expect(await stored('dup')).toBeUndefined();
  });

  it('refuses a rule naming a field the form does not have, and lists every problem at once', async () => {
    const res = await post('missing', [
      { key: 'review', label: '見直しの内容', type: 'long_text', required: { '!=': [{ var: 'values.direction' }, null] } },
      { key: 'memo', label: '補足', type: 'long_text', visible: { in: [{ var: 'rating' }, ['C', 'D']] } },
      { key: 'cost', label: '事業費', type: 'money', required: { '>': [{ var: 'item.budget' }, 0] } },
    ]).expect(422);
    expect(res.body.errors.map((e: { message: string }) => e.message)).toEqual([
      '項目「見直しの内容」の必須条件の条件が存在しない項目「values.direction」を参照しています',
      '項目「事業費」の必須条件の条件が存在しない項目「item.budget」を参照しています',
    ]);
    expect(res.body.message).toContain('values.direction');
    expect(await stored('missing')).toBeUndefined();
  });

  it('refuses a choice without options', async () => {
    const res = await post('no-options', [
      { key: 'direction', label: '今後の方向性', type: 'single_choice', required: true },
      { key: 'sdgs', label: '関連するSDGs', type: 'multi_choice', options: [] },
    ]).expect(422);
    expect(res.body.errors.map((e: { message: string }) => e.message)).toEqual([
      '項目「今後の方向性」の選択肢を1つ以上指定してください',
      '項目「関連するSDGs」の選択肢を1つ以上指定してください',
    ]);
    expect(await stored('no-options')).toBeUndefined();
  });

  it('accepts the legacy field list and stores it in the form shape', async () => {
    await post('legacy', [
      { key: 'progress', label: '進捗状況', required: 'always' },
      { key: 'kpiActuals', label: '指標実績', required: 'never' },
      { key: 'reason', label: '理由', required: 'when_reason_needed', maxLength: 800 },
    ]).expect(201);
    expect((await stored('legacy')).fields).toEqual([
      { key: 'progress', label: '進捗状況', type: 'long_text', scope: 'entry', required: true, maxLength: 4000 },
      { key: 'kpiActuals', label: '指標実績', type: 'kpi_table', scope: 'entry' },
      {
        key: 'reason',
        label: '理由',
        type: 'long_text',
        scope: 'entry',
        required: { or: [{ var: 'ratingNeedsReason' }, { var: 'worsened' }] },
        maxLength: 800,
      },
    ]);
  });

  it('reads an item attribute the plan defines, and checks an edit the same way, leaving the template as it was', async () => {
    await t.db.query(`UPDATE plans SET item_fields = $2 WHERE id = $1`, [
      f.planId,
      JSON.stringify([{ key: 'budget', label: '予算', type: 'money', scope: 'item' }]),
    ]);
    const rule = { '>': [{ var: 'item.budget' }, 1000] };
    const created = await post('item-rule', [{ key: 'cost', label: '事業費の説明', type: 'long_text', required: rule }]).expect(201);
    expect(created.body.fields[0].required).toEqual(rule);

    const edit = await t
      .http()
      .patch(`/api/templates/${created.body.id}`)
      .set(auth())
      .send({ version: created.body.version, fields: [...created.body.fields, { key: 'cost', label: '重複', type: 'short_text' }] })
      .expect(422);
    expect(edit.body.errors).toEqual([{ field: 'fields', message: '項目「cost」が重複しています' }]);
    expect(await stored('item-rule')).toMatchObject({ version: 1, fields: created.body.fields });

    const stale = await t.http().patch(`/api/templates/${created.body.id}`).set(auth()).send({ version: 99, name: '別名' }).expect(409);
    expect(stale.body.field).toBe('version');
  });
});
