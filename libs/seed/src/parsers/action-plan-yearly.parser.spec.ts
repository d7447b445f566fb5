import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseActionPlanYearly, parseActionSections, resolvedPlans } from './action-plan-yearly.parser';

const text = readFileSync(resolve('libs/seed/data/action-plan-yearly.txt'), 'utf8');

describe('parseActionPlanYearly (real report)', () => {
  const report = parseActionPlanYearly(text);
  const program = (n: number) => report.programs[n - 1];
  const squash = (s: string) => s.normalize('NFKC').replace(/\s/gu, '');

  it('reads the plan, its years and the 77 sheets of the contents, and skips nothing', () => {
    expect(report.title).toBe('第六次武蔵野市行財政改革アクションプラン');
    expect(report.years).toEqual([2021, 2022, 2023, 2024]);
    expect(report.asOf).toBe(2023);
    expect(report.contents).toHaveLength(77);
    expect(report.programs).toHaveLength(77);
    expect(report.skipped).toEqual([]);
    expect(report.programs.flatMap((p) => p.rows)).toHaveLength(105);
    for (const p of report.programs) {
      expect(p.sections.length).toBeGreaterThan(0);
      expect(p.rows.length).toBeGreaterThan(0);
      expect(p.purpose).not.toBe('');
      expect(p.actions).not.toBe('');
      expect(p.progress).not.toBe('');
    }
  });

  it('finds each sheet in the contents, with the same 担当課', () => {
    // Two titles differ between the contents and the sheet as published; the sheet's is kept.
    const differ = report.programs.filter((p, i) => squash(p.title) !== squash(report.contents[i].title)).map((p) => p.number);
    expect(differ).toEqual([19, 68]);
    expect(program(19).title).toBe('むさしのエコ re ゴートを中心とした環境啓発の推進');
    report.programs.forEach((p, i) => {
      const printed = [
        ...p.sections.map((s) => (s.renamedTo ? `${s.name}(令和${s.renamedFrom! - 2018}年度より${s.renamedTo})` : s.name)),
        ...(p.allSections ? ['各課'] : []),
      ].join('、');
      expect(squash(printed)).toBe(squash(report.contents[i].sections));
    });
  });

  it('reads the first sheet as printed', () => {
    const p = program(1);
    expect(p).toMatchObject({
      title: '自治基本条例に基づく市政運営のルール制度化・体系化',
      chapter: '① 自治の基本原則に基づく地域と行政との新たな関係性構築',
      category: '①ーア 自治基本条例に基づく自治の推進',
      sections: [{ name: '企画調整課', renamedTo: null, renamedFrom: null }],
      allSections: false,
      reason: 'これまでの経緯や現状を総合的に勘案し、住民投票制度についての議論は凍結した。',
    });
    expect(p.purpose.split('\n')).toHaveLength(2);
    expect(p.purpose).toMatch(/^これまで本市が培ってきた市民参加や市民自治の歴史/u);
    expect(p.progress).toMatch(/^住民投票制度に関する有識者懇談会を設置し/u);
    expect(p.rows).toHaveLength(1);
    expect(p.rows[0].plans).toEqual({
      2021: '条例案の検討 パブリックコメント、意見交換会の実施状況集約 ・公表 条例の制定',
      2022: '条例の施行',
      2023: '→',
      2024: '→',
    });
    expect(resolvedPlans(p.rows[0])).toMatchObject({ 2023: '条例の施行', 2024: '条例の施行' });
    expect(p.rows[0].marks).toEqual({ 2021: '○', 2022: '△', 2023: '△' });
  });

  it('keeps every 年次計画 row of a sheet with its own marks and heading', () => {
    expect(program(3).rows.map((r) => r.marks)).toEqual([
      { 2021: '△', 2022: '○', 2023: '○' },
      { 2021: '◎', 2022: '◎', 2023: '◎' },
    ]);
    // The header printed one column to the right, the row's heading in the gap.
    expect(program(14).rows.map((r) => r.label)).toEqual(['災害時医療体制の構築', '帰宅困難者対策訓練', '協定締結', '物資供給マニュアル策定']);
    expect(program(14).rows[0].plans[2021]).toBe('素案作成');
    expect(program(39).rows.map((r) => r.label)).toEqual(['保育人材', '相談員']);
    expect(program(39).rows[1].plans[2021]).toBe('内部研修の実施、他機関主催の研修への出席');
    // Header on the line before the label, after a page footer.
    expect(program(71).rows).toHaveLength(4);
    expect(program(69).rows[1].marks).toEqual({ 2021: '◎', 2022: '×', 2023: '×' });
    expect(program(69).reason).toMatch(/^日本武蔵野センターについては/u);
  });

  it("leaves out the years printed '—' or blank", () => {
    expect(program(25).rows[0].marks).toEqual({ 2021: '○', 2022: '◎' });
    expect(program(31).rows[1].plans).not.toHaveProperty('2021');
    expect(program(31).rows[1].marks).toEqual({ 2022: '○', 2023: '○' });
    expect(program(59).rows[1]).toMatchObject({ label: '温水プール・屋外プール', plans: { 2021: 'あり方検討' }, marks: { 2021: '◎' } });
  });

  it('joins texts cut by a page break, also where the label itself was cut', () => {
    expect(program(3).progress).toContain('市及び非核都市宣言平和事業実行委員会で具体的な検討を進める。');
    expect(program(17).actions).toMatch(/情報提供を行い、「第四次男女平等推進計画」の確実な推進を図る。$/u);
    expect(program(51).purpose).toMatch(/計画自体の見直しを含めた検討を行う必要がある。$/u);
    expect(program(51).actions).toMatch(/^「歳入の確保」/u);
  });

  it('reads 各課 and the renames printed beside a section', () => {
    expect(program(2)).toMatchObject({ allSections: true, sections: [{ name: '企画調整課' }] });
    expect(program(31).sections).toEqual([{ name: '情報管理課', renamedTo: '情報政策課', renamedFrom: 2022 }]);
    expect(program(39).sections).toEqual([
      { name: '子ども育成課', renamedTo: null, renamedFrom: null },
      { name: '子ども家庭支援センター', renamedTo: '子ども子育て支援課', renamedFrom: 2021 },
    ]);
    const renames = new Set(report.programs.flatMap((p) => p.sections.filter((s) => s.renamedTo).map((s) => `${s.name}>${s.renamedTo}@${s.renamedFrom}`)));
    expect([...renames].sort()).toEqual([
      '子ども家庭支援センター>子ども子育て支援課@2021',
      '子ども政策課>子ども子育て支援課@2021',
      '情報管理課>情報政策課@2022',
    ]);
  });
});

describe('parseActionSections', () => {
  it("splits at '、' only and reads a rename with spaces inside", () => {
    expect(parseActionSections('防災課、多文化共生・交流課、健康課').sections.map((s) => s.name)).toEqual(['防災課', '多文化共生・交流課', '健康課']);
    expect(parseActionSections('総務課、情報管理課（令和 4 年度より情報政策課）').sections[1]).toEqual({
      name: '情報管理課',
      renamedTo: '情報政策課',
      renamedFrom: 2022,
    });
    expect(parseActionSections('秘書広報課、各課')).toEqual({ sections: [{ name: '秘書広報課', renamedTo: null, renamedFrom: null }], allSections: true });
  });
});

describe('resolvedPlans', () => {
  it("reads '→' as the year before, never across a gap", () => {
    const row = { label: '', line: 1, marks: {}, plans: { 2021: '検討', 2022: '→', 2024: '→' } };
    expect(resolvedPlans(row)).toEqual({ 2021: '検討', 2022: '検討' });
  });
});
