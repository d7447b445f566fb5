import { createHash } from 'node:crypto';

/** The printable report's style sheet (A4; no scripts, no external resources). */
export function reportStyle(opts: { landscape: boolean }): string {
  return `
  @page { size: A4${opts.landscape ? ' landscape' : ''}; margin: 15mm 12mm; }
  * { box-sizing: border-box; }
  body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif;
         font-size: 10pt; line-height: 1.5; color: #111; margin: 0; }
  h1 { font-size: 16pt; margin: 0 0 4mm; }
  h2 { font-size: 12pt; margin: 6mm 0 2mm; border-left: 4px solid #333; padding-left: 2mm; break-after: avoid; page-break-after: avoid; }
  .meta { margin: 0 0 4mm; color: #333; }
  table { width: 100%; border-collapse: collapse; }
  table.list { table-layout: fixed; word-break: break-word; }
  table.list.dense { font-size: 8.5pt; }
  table.list th { font-size: 9pt; }
  th, td { border: 1px solid #666; padding: 1mm 1.5mm; vertical-align: top; }
  th { background: #eee; font-weight: bold; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; break-inside: avoid; }
  tr.long { page-break-inside: auto; break-inside: auto; }
  td.num, th.num { text-align: right; white-space: nowrap; }
  td.sym { text-align: center; font-size: 12pt; white-space: nowrap; }
  th.group { text-align: left; background: #f6f6f6; }
  table.summary { width: auto; min-width: 50%; }
  .note { font-size: 8pt; color: #444; }
  .kpi-line { display: block; }
  .kpi-line + .kpi-line { border-top: 1px dotted #999; margin-top: 0.5mm; padding-top: 0.5mm; }
  .kpi-line .k { color: #444; font-size: 8.5pt; }

  /* Department heading: 部名, 部長名 and the department's fields, once per department. */
  .dept h2, .dept-row h2 { margin-top: 0; }
  tr.dept-row > td { border: 0; padding: 5mm 0 2mm; }
  table.dept-fields th { width: 18%; text-align: left; }

  /* Sheet layout: one A4 page per entry. */
  .sheet { page-break-before: always; break-before: page; }
  .sheet-title { display: flex; gap: 4mm; align-items: baseline; border-bottom: 2px solid #333; margin: 0 0 3mm; padding-bottom: 1mm; }
  .sheet-title .no { font-size: 11pt; white-space: nowrap; }
  .sheet-title h2 { border: 0; padding: 0; margin: 0; font-size: 13pt; }
  table.sheet-table > tbody > tr > th { width: 20%; text-align: left; }
  table.sheet-table col.label { width: 16%; }
  table.sheet-table col.value { width: 34%; }
  table.inner { margin: 0; }
  table.inner th, table.inner td { font-size: 9pt; }
  table.inner th { text-align: center; }
  td.years-cell { padding: 0; border: 0; }
  table.years { table-layout: fixed; }
  table.years tr > th:first-child { width: 16%; text-align: left; font-size: 10pt; }
  table.years th.current { background: #ddd; }
  td.rating { font-size: 12pt; }
  td.rating .label { font-size: 9.5pt; margin-left: 2mm; }
  .blank { color: #999; }
  @media screen {
    body { max-width: ${opts.landscape ? '297mm' : '210mm'}; margin: 10mm auto; }
    .sheet { border-top: 1px dashed #999; margin-top: 10mm; padding-top: 6mm; }
  }
`;
}

/**
 * The CSP hashes of the report's two stylesheets (portrait, landscape). The report opened from
 * the UI is a blob document, which takes the UI page's policy, not the report answer's (and its
 * nonce): with these hashes in every answer's style-src, that one stylesheet applies anywhere
 * and nothing else inline does.
 */
export const REPORT_STYLE_HASHES: readonly string[] = [false, true].map(
  (landscape) => `'sha256-${createHash('sha256').update(reportStyle({ landscape }), 'utf8').digest('base64')}'`,
);
