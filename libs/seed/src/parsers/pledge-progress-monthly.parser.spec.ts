import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePledgeProgressMonthly } from './pledge-progress-monthly.parser';

const text = readFileSync(resolve('libs/seed/data/pledge-progress-monthly.txt'), 'utf8');

describe('parsePledgeProgressMonthly (real report)', () => {
  const report = parsePledgeProgressMonthly(text);
  const pledge = (n: number) => report.pledges.find((p) => p.number === n)!;

  it('finds the 45 pledges, each once, numbered 1..45', () => {
    expect(report.title).toBe('市長が掲げた重点政策No.1~45');
    expect(report.fiscalYear).toBe(2023);
    expect(report.pledges.map((p) => p.number)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    for (const p of report.pledges) {
      expect(p.title).not.toBe('');
      expect(p.rows.length).toBeGreaterThan(0);
      for (const row of p.rows) expect(row.sectionNames.length).toBeGreaterThan(0);
    }
  });

  it('keeps one block per responsible section', () => {
    expect(pledge(8).rows.map((r) => r.sectionNames)).toEqual([['高齢者支援課'], ['障害福祉課']]);
    expect(pledge(15).rows.flatMap((r) => r.sectionNames)).toEqual(['こども政策課', '青少年課', '学校教育課', '教育センター']);
    expect(pledge(28).rows.flatMap((r) => r.sectionNames)).toEqual(['障害福祉課', '産業振興課', '農業振興課']);
  });

  it('splits a joint section cell into two sections', () => {
    const row = pledge(4).rows[0];
    expect(row.sectionNames).toEqual(['学校教育課', '教育総務課']);
    expect(row.targetDateText).toBe('調整中');
  });

  it('reads the cells of a regular block', () => {
    const row = pledge(1).rows[0];
    expect(pledge(1).title).toBe('18歳までの医療費完全無料化');
    expect(row.sectionNames).toEqual(['こども支援課']);
    expect(row.targetDateText).toBe('R6.10');
    expect(row.content).toMatch(/^子どもの医療費の一部を助成/u);
    expect(row.fiscalGoals[0]).toEqual({ column: '10', text: 'パブリックコメントの実施および条例の整備' });
    expect(row.shortTermPlans).toEqual([
      { column: '10', text: 'パブリックコメントの実施・公表および条例改正' },
      { column: '1', text: '条例改正' },
    ]);
    expect(row.ratings).toEqual([{ column: '10', mark: '○' }]);
    expect(row.goalRatings).toEqual([]);
    expect(row.status).toMatch(/^【パブリックコメントの実施】/u);
  });

  it('copes with shifted and merged rows', () => {
    // 区分 printed as '進捗' before '年度目標' and every later row shifted right by one.
    const shifted = pledge(28).rows[1];
    expect(shifted.sectionNames).toEqual(['産業振興課']);
    expect(shifted.ratings).toEqual([{ column: '10', mark: '○' }]);
    expect(shifted.status).toMatch(/^農商工連携きっかけづくり交流会/u);
    // Rating and status in one '進捗 状況' row.
    const merged = pledge(30).rows[0];
    expect(merged.ratings).toEqual([{ column: '10', mark: '○' }]);
    expect(merged.status).toMatch(/^地域力促進会議委員/u);
    // Number in the second cell, title missing, name broken by a space.
    expect(pledge(38).rows.map((r) => r.sectionNames[0])).toEqual(['経営企画課', 'デジタル戦略課', '産業振興課', '商業観光課']);
    expect(pledge(38).title).toBe('地域通貨の導入、市政にブロックチェーンの活用');
    expect(pledge(38).rows[1].ratings).toEqual([{ column: '10', mark: '☆' }]);
  });

  it('reads pledge 34: bracketed projects and the water bureau sections', () => {
    const p = pledge(34);
    expect(p.title).toBe('災害に強いまちの実現');
    expect(p.rows[1].content).toMatch(/^市道4-1386号線/u);
    expect(p.rows[3].content).toBe('松戸橋改築事業');
    expect(p.rows[0].status).toMatch(/^災害時における福祉避難施設利用/u);
    const water = p.rows.filter((r) => r.departmentHint === '上下水道局').map((r) => r.sectionNames[0]);
    expect(water).toEqual(['水道建設課', '給水管理課', '給水管理課', '下水道整備課', '下水道維持課']);
  });

  it('keeps the goal marks apart from the plan marks', () => {
    const row = pledge(11).rows[0];
    expect(row.goalRatings).toEqual([{ column: '10', mark: '☆' }]);
    expect(row.ratings).toEqual([{ column: '10', mark: '☆' }]);
    const marks = report.pledges.flatMap((p) => p.rows.flatMap((r) => r.ratings.map((x) => x.mark)));
    expect(new Set(marks)).toEqual(new Set(['☆', '○', '△', '×']));
  });
});
