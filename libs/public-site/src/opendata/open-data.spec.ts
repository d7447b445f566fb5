import { parse } from 'csv-parse/sync';
import { H1_2024, version } from '../domain/publications.fixture';
import { notReportedSentence, publicationCounts } from '../domain/publications';
import { OPEN_DATA_COLUMNS, openDataCsv, openDataJson } from './open-data';

const publisher = {
  municipalityCode: '112259',
  municipalityName: '入間市',
  licenseName: 'CC BY 4.0',
  licenseUrl: 'https://creativecommons.org/licenses/by/4.0/deed.ja',
};
const v = version({
  cycleId: 7,
  at: '2024-10-20T03:00:00Z',
  period: H1_2024,
  entries: [
    { itemId: 1, rating: 'A', fields: [{ label: '進捗状況', text: '=SUM(A1) 完了した' }] },
    { itemId: 2, numberValue: 2, sectionId: 3, reported: false, rating: null },
  ],
});

describe('open data', () => {
  it('writes a CSV with BOM, one header row, the municipality code, 西暦 dates with 和暦 beside, one row per item and section', () => {
    const csv = openDataCsv(v, publisher);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows]: string[][] = parse(csv.slice(1), { record_delimiter: '\r\n' });
    expect(header).toEqual([...OPEN_DATA_COLUMNS.map((c) => c.name), '進捗状況']);
    const at = (r: string[], name: string) => r[header.indexOf(name)];
    expect(rows.map((r) => at(r, 'ID'))).toEqual(['7-1-1', '7-2-3']);
    expect(at(rows[0], '全国地方公共団体コード')).toBe('112259');
    expect([at(rows[0], '公表日'), at(rows[0], '公表日_和暦')]).toEqual(['2024-10-20', '令和6年10月20日']);
    expect([at(rows[0], '期間開始日'), at(rows[0], '期間開始日_和暦'), at(rows[0], '年度'), at(rows[0], '年度_和暦')]).toEqual([
      '2024-04-01',
      '令和6年4月1日',
      '2024',
      '令和6年度',
    ]);
    expect([at(rows[0], '評価'), at(rows[0], '評価の意味'), at(rows[0], '報告状況')]).toEqual(['A', '完了', '報告済み']);
    expect(at(rows[0], '進捗状況')).toBe("'=SUM(A1) 完了した");
    expect([at(rows[1], '報告状況'), at(rows[1], '評価'), at(rows[1], '進捗状況')]).toEqual(['未報告', '', '']);
  });

  it('writes the same records as JSON, keyed by the column names, with the licence', () => {
    const json = openDataJson(v, publisher) as { records: Record<string, unknown>[]; ライセンス: { 名称: string } };
    expect(json.records).toHaveLength(2);
    expect(json.records[0]).toMatchObject({ ID: '7-1-1', 評価: 'A', 進捗状況: '=SUM(A1) 完了した', 指標: [] });
    expect(json.ライセンス.名称).toBe('CC BY 4.0');
  });

  it('documents every column with a type and a meaning', () => {
    for (const c of OPEN_DATA_COLUMNS) expect([c.name, c.type.length > 0, c.description.length > 5]).toEqual([c.name, true, true]);
  });

  it('says plainly how much was not reported', () => {
    expect(notReportedSentence(publicationCounts(v.snapshot))).toBe('2項目中1項目は未報告です(報告済み1項目)。');
  });
});
