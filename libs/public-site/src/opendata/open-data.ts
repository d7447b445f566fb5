import { eraYearLabel } from '@app/domain';
import { csvLine, neutraliseFormula, UTF8_BOM } from '@app/common';
import type { PublishedHead, PublishedVersion, SnapshotEntry } from '@app/reports';
import { eraDateLabel } from '@app/reports';
import { isoDay } from '../domain/era';
import { byItem, ratingOption } from '../domain/publications';

/** Who publishes the data: written into every row and into the JSON's header. */
export interface OpenDataPublisher {
  municipalityCode: string;
  municipalityName: string;
  licenseName: string;
  licenseUrl: string;
}

/** One column of the open data: its name (the CSV header and the JSON key), type and meaning. */
export interface OpenDataColumn {
  name: string;
  type: '文字列' | '整数' | '日付' | '文字列(和暦)';
  description: string;
  example: string;
  value: (v: PublishedVersion, e: SnapshotEntry, p: OpenDataPublisher) => string | number;
}

const rating = (v: PublishedVersion, e: SnapshotEntry) => (e.reported ? ratingOption(v.snapshot, e.rating) : null);

/**
 * The fixed columns, in order, following the Digital Agency's 推奨データセット conventions: the
 * 全国地方公共団体コード first, an ID unique per row, one value per cell, dates as 西暦
 * (YYYY-MM-DD) with the 和暦 in a column beside, codes and labels in separate columns. The
 * form's own published texts follow as further columns, named by their labels.
 */
export const OPEN_DATA_COLUMNS: readonly OpenDataColumn[] = [
  {
    name: '全国地方公共団体コード',
    type: '文字列',
    description: '公表した地方公共団体の全国地方公共団体コード(6桁、検査数字を含む)。',
    example: '112259',
    value: (_v, _e, p) => p.municipalityCode,
  },
  {
    name: 'ID',
    type: '文字列',
    description: '行の識別子。「サイクルID-項目ID-所管課ID」。版が改まっても同じ行は同じIDです。',
    example: '12-345-6',
    value: (v, e) => `${v.cycleId}-${e.itemId}-${e.sectionId}`,
  },
  { name: '地方公共団体名', type: '文字列', description: '公表した地方公共団体の名称。', example: '〇〇市', value: (_v, _e, p) => p.municipalityName },
  { name: '計画名', type: '文字列', description: '項目が属する計画(公約、行動計画など)の名称。', example: '市長公約', value: (v) => v.snapshot.plan.name },
  {
    name: '様式名',
    type: '文字列',
    description: '報告の様式(サイクルのテンプレート)の名称。',
    example: '市長公約 半期進捗',
    value: (v) => v.snapshot.template.name,
  },
  {
    name: 'サイクルID',
    type: '整数',
    description: '公表した期間(サイクル)の識別子。公表ページ /public/cycles/{サイクルID} に対応します。',
    example: '12',
    value: (v) => v.cycleId,
  },
  { name: '版', type: '整数', description: 'この期間の公表の版(再公表のたびに1増えます)。', example: '1', value: (v) => v.version },
  { name: '公表日', type: '日付', description: 'この版を公表した日(西暦、YYYY-MM-DD)。', example: '2024-10-15', value: (v) => isoDay(new Date(v.publishedAt)) },
  {
    name: '公表日_和暦',
    type: '文字列(和暦)',
    description: '公表日の和暦表記。',
    example: '令和6年10月15日',
    value: (v) => eraDateLabel(new Date(v.publishedAt)),
  },
  { name: '年度', type: '整数', description: '期間が属する会計年度(西暦、4月始まり)。', example: '2024', value: (v) => v.snapshot.cycle.fiscalYear },
  { name: '年度_和暦', type: '文字列(和暦)', description: '年度の和暦表記。', example: '令和6年度', value: (v) => eraYearLabel(v.snapshot.cycle.fiscalYear) },
  { name: '対象期間', type: '文字列', description: '期間の名称。', example: '令和6年度 上半期', value: (v) => v.snapshot.cycle.periodLabel },
  { name: '期間開始日', type: '日付', description: '期間の初日(西暦、YYYY-MM-DD)。', example: '2024-04-01', value: (v) => v.snapshot.cycle.periodStart },
  {
    name: '期間開始日_和暦',
    type: '文字列(和暦)',
    description: '期間の初日の和暦表記。',
    example: '令和6年4月1日',
    value: (v) => eraDateLabel(v.snapshot.cycle.periodStart),
  },
  { name: '期間終了日', type: '日付', description: '期間の末日(西暦、YYYY-MM-DD)。', example: '2024-09-30', value: (v) => v.snapshot.cycle.periodEnd },
  {
    name: '期間終了日_和暦',
    type: '文字列(和暦)',
    description: '期間の末日の和暦表記。',
    example: '令和6年9月30日',
    value: (v) => eraDateLabel(v.snapshot.cycle.periodEnd),
  },
  {
    name: '項目ID',
    type: '整数',
    description: '項目の識別子。期間をまたいで同じ項目は同じIDです(/public/items/{項目ID})。',
    example: '345',
    value: (_v, e) => e.itemId,
  },
  { name: '番号', type: '文字列', description: '計画での項目の番号(枝番は「4-①」の形)。', example: '4-①', value: (_v, e) => e.number },
  { name: '章', type: '文字列', description: '項目の章。ない場合は空欄。', example: '第1章 デジタル未来都市', value: (_v, e) => e.chapter ?? '' },
  {
    name: '分類',
    type: '文字列',
    description: '項目の分類(枝番のある項目の親の見出し)。ない場合は空欄。',
    example: '【デジタル】来なくても済む市役所',
    value: (_v, e) => e.category ?? '',
  },
  { name: '項目名', type: '文字列', description: '項目の名称。', example: 'マイナンバー普及率8割の達成', value: (_v, e) => e.title },
  { name: '内容', type: '文字列', description: '項目の内容(所管課ごとの内容がある場合はその内容)。', example: '', value: (_v, e) => e.content ?? '' },
  {
    name: '目標期日',
    type: '文字列',
    description: '目標期日。公表資料の記載のまま(「R6.10」「未定」など)。',
    example: 'R6.10',
    value: (_v, e) => e.targetDateText ?? '',
  },
  { name: '所管課ID', type: '整数', description: '報告した課の識別子(課名が変わっても同じ)。', example: '6', value: (_v, e) => e.sectionId },
  { name: '所管課名', type: '文字列', description: '報告した課の名称(その期間の末日の課名)。', example: 'こども支援課', value: (_v, e) => e.sectionName },
  {
    name: '報告状況',
    type: '文字列',
    description: '「報告済み」または「未報告」(期間の公表時に報告が承認されていなかった項目)。未報告の行は評価と報告内容が空欄です。',
    example: '報告済み',
    value: (_v, e) => (e.reported ? '報告済み' : '未報告'),
  },
  { name: '評価尺度', type: '文字列', description: '評価の尺度の名称。', example: '取組状況4段階(ABCD)', value: (v) => v.snapshot.scale.name },
  { name: '評価', type: '文字列', description: '評価の記号(A、○など)。評価のない場合は空欄。', example: 'B', value: (v, e) => rating(v, e)?.symbol ?? '' },
  { name: '評価の意味', type: '文字列', description: '評価の記号の意味。', example: '実施中', value: (v, e) => rating(v, e)?.label ?? '' },
];

/** The header row: the fixed columns, then the form's published texts. */
export function openDataHeader(v: PublishedVersion): string[] {
  return [...OPEN_DATA_COLUMNS.map((c) => c.name), ...v.snapshot.fieldLabels];
}

/** One row per item and section of the publication, in the report's order. */
export function openDataRows(v: PublishedVersion, p: OpenDataPublisher): (string | number)[][] {
  return [...v.snapshot.entries].sort(byItem).map((e) => {
    const texts = new Map(e.fields.map((f) => [f.label, f.text]));
    return [...OPEN_DATA_COLUMNS.map((c) => c.value(v, e, p)), ...v.snapshot.fieldLabels.map((l) => texts.get(l) ?? '')];
  });
}

/** The CSV: UTF-8 with BOM, CRLF, one header row; text defused against spreadsheet formulas. */
export function openDataCsv(v: PublishedVersion, p: OpenDataPublisher): string {
  const rows = openDataRows(v, p).map((r) => csvLine(r.map((c) => (typeof c === 'string' ? neutraliseFormula(c) : c))));
  return UTF8_BOM + csvLine(openDataHeader(v)) + rows.join('');
}

/** The JSON: the same records keyed by the same column names, each with its KPIs, and who publishes it under which licence. */
export function openDataJson(v: PublishedVersion, p: OpenDataPublisher): Record<string, unknown> {
  const header = openDataHeader(v);
  const entries = [...v.snapshot.entries].sort(byItem);
  return {
    全国地方公共団体コード: p.municipalityCode,
    地方公共団体名: p.municipalityName,
    ライセンス: { 名称: p.licenseName, URL: p.licenseUrl },
    データ項目の説明: '/public/opendata',
    columns: header,
    records: openDataRows(v, p).map((row, i) => ({
      ...Object.fromEntries(header.map((h, j) => [h, row[j]])),
      指標: entries[i].kpis.map((k) => ({ 名称: k.name, 単位: k.unit, 目標: k.target, 実績: k.actual, 達成率: k.rate })),
    })),
  };
}

/** The list of every dataset (the latest version of each published cycle) with its files, for harvesters. */
export function openDataCatalog(
  plans: { id: number; name: string; latest: PublishedHead[] }[],
  p: OpenDataPublisher,
  baseUrl: string,
): Record<string, unknown> {
  return {
    全国地方公共団体コード: p.municipalityCode,
    地方公共団体名: p.municipalityName,
    ライセンス: { 名称: p.licenseName, URL: p.licenseUrl },
    データ項目の説明: `${baseUrl}/public/opendata`,
    datasets: plans.flatMap((plan) =>
      plan.latest.map((v) => ({
        タイトル: `${plan.name} ${v.snapshot.cycle.periodLabel} 取組状況`,
        計画名: plan.name,
        様式名: v.snapshot.template.name,
        サイクルID: v.cycleId,
        対象期間: v.snapshot.cycle.periodLabel,
        期間開始日: v.snapshot.cycle.periodStart,
        期間終了日: v.snapshot.cycle.periodEnd,
        版: v.version,
        公表日: isoDay(new Date(v.publishedAt)),
        公表日_和暦: eraDateLabel(new Date(v.publishedAt)),
        行数: v.entriesTotal,
        CSV: `${baseUrl}/public/cycles/${v.cycleId}/opendata.csv`,
        JSON: `${baseUrl}/public/cycles/${v.cycleId}/opendata.json`,
        ページ: `${baseUrl}/public/cycles/${v.cycleId}`,
      })),
    ),
  };
}
