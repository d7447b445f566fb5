import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { countRatings, parsePledgeStatusAbcd } from './pledge-status-abcd.parser';

const text = readFileSync(resolve('libs/seed/data/pledge-status-abcd.txt'), 'utf8');

describe('parsePledgeStatusAbcd (real report)', () => {
  const report = parsePledgeStatusAbcd(text);
  const items = report.chapters.flatMap((c) => c.items);

  it('reads six chapters and thirty items with two sub-items each', () => {
    expect(report.title).toBe('市長公約（政策宣言）進捗状況一覧表【令和5年9月末現在】');
    expect(report.chapters.map((c) => c.label)).toEqual([
      '第1章 デジタル未来都市',
      '第2章 命を守る危機管理',
      '第3章 価値を生み出す行政改革',
      '第4章 活力ある地域づくり',
      '第5章 安全・安心な暮らし',
      '第6章 未来への人づくり',
    ]);
    expect(items.map((i) => i.number)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const i of items) expect(i.subItems.map((s) => s.subNumber)).toEqual(['①', '②']);
  });

  it('reads an item and its sub-items', () => {
    const first = items[0];
    expect(first.category).toBe('デジタル');
    expect(first.title).toMatch(/^デジタル未来都市推進部門の設置/u);
    expect(first.subItems[0]).toMatchObject({ subNumber: '①', title: 'デジタル未来都市推進部門の設置', rating: 'A' });
    expect(first.subItems[0].content).toMatch(/^入間市政のデジタル化/u);
    expect(first.subItems[0].status).toMatch(/^・令和4年4月にデジタル行政推進課を設置/u);
    expect(items[6].category).toBe('弱者支援');
  });

  it('strips the HTML some 取組状況 cells carry', () => {
    const status = items[24].subItems[0].status;
    expect(status).not.toMatch(/[<>]/u);
    expect(status.length).toBeGreaterThan(0);
  });

  it('gives every sub-item a rating, and the counts equal the summary table (A 37, B 19, C 4, D 0)', () => {
    expect(items.flatMap((i) => i.subItems).every((s) => s.rating !== null)).toBe(true);
    expect(report.summary).toEqual({ A: 37, B: 19, C: 4, D: 0 });
    expect(countRatings(report)).toEqual(report.summary);
  });
});
