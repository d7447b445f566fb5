import { kpiAchievement, KpiDirection, KpiKind, PeriodType } from '@app/domain';
import type { ColumnModel } from './column-model';
import { itemNumber, partText, shown, viewEntry } from './entry-view';
import type { ReportEntry } from './report-entry';

/** One KPI of a published entry: the fiscal year's target and the reported actual (raw and as printed). */
export interface SnapshotKpi {
  id: number;
  name: string;
  unit: string;
  kind: KpiKind;
  direction: KpiDirection;
  target: number | string | null;
  actual: number | string | null;
  /** "85.0%", 達成/未達成, or ''. */
  rate: string;
}

/**
 * One row of a publication: an item as reported by one section. `reported` is false for an
 * entry that was not accepted by publication: then only the item's identity is kept (the plan
 * is public, what the section wrote is not), with no rating, text or actual.
 */
export interface SnapshotEntry {
  itemId: number;
  sectionId: number;
  /** '4-①' or '4'. */
  number: string;
  numberValue: number;
  subNumber: string;
  chapter: string | null;
  /** The parent heading of sub-numbered items (the A–D list's '1:【デジタル】…'). */
  category: string | null;
  title: string;
  content: string | null;
  targetDateText: string | null;
  /** The section under the name it had at the end of the period. */
  sectionName: string;
  reported: boolean;
  rating: string | null;
  /** The form's published texts and the item's attributes, in the form's order; hidden or empty ones left out. */
  fields: { label: string; text: string }[];
  kpis: SnapshotKpi[];
}

/**
 * What a publication makes public, as data (published_reports.snapshot): built once when the
 * cycle is published, never from the live tables afterwards. No workflow (state, dates, who
 * evaluated or approved), no department head, no return comments, nothing of an entry not accepted.
 */
export interface PublicSnapshot {
  format: 1;
  plan: { id: number; name: string };
  /** `code` (since the prefecture's comparison): a shared template's code is the same in every municipality. */
  template: { id: number; code?: string; name: string; periodType: PeriodType };
  cycle: {
    id: number;
    label: string;
    periodKey: string;
    periodLabel: string;
    /** The matrix column: '10月', '上半期', 'R6'. */
    shortLabel: string;
    periodStart: string;
    periodEnd: string;
    fiscalYear: number;
    fiscalYearLabel: string;
  };
  scale: { code: string; name: string; options: { value: string; symbol: string; label: string; ordinal: number }[] };
  /** The labels of the form's published texts and item attributes, in the form's order (the open data's columns). */
  fieldLabels: string[];
  entries: SnapshotEntry[];
}

/** The labels of the published texts an entry's `fields` may hold, in the form's order. */
export function snapshotFieldLabels(model: ColumnModel): string[] {
  return model.parts.filter((p) => p.kind === 'field' || p.kind === 'attribute').map((p) => p.label);
}

/** The snapshot row of one entry, against the cycle's public column model. */
export function snapshotEntry(model: ColumnModel, row: ReportEntry): SnapshotEntry {
  const base = {
    itemId: row.itemId,
    sectionId: row.sectionId,
    number: itemNumber(row),
    numberValue: row.number,
    subNumber: row.subNumber,
    chapter: row.chapter || null,
    category: row.category || null,
    title: row.title,
    content: row.content || null,
    targetDateText: row.targetDateText || null,
    sectionName: row.sectionName,
  };
  if (row.state !== 'accepted') return { ...base, reported: false, rating: null, fields: [], kpis: [] };
  const view = viewEntry(model.spec, row);
  const fields: SnapshotEntry['fields'] = [];
  let rating: string | null = null;
  let kpis: SnapshotKpi[] = [];
  for (const part of model.parts) {
    if (part.kind === 'rating') rating = shown(view, part.field) ? row.rating : null;
    else if (part.kind === 'kpi') {
      if (!shown(view, part.field)) continue;
      const actuals = new Map((row.kpiActuals ?? []).map((a) => [a.kpiId, a.actual]));
      kpis = (row.kpis ?? []).map((k, i) => {
        const a = kpiAchievement(k, model.spec.fiscalYear, actuals.get(k.id));
        return {
          id: k.id,
          name: k.name,
          unit: k.unit ?? '',
          kind: k.kind,
          direction: k.direction,
          target: a.target,
          actual: a.actual,
          rate: view.kpis[i]?.rate ?? '',
        };
      });
    } else if (part.kind === 'field' || part.kind === 'attribute') {
      const text = partText(model.spec, part, view);
      if (text) fields.push({ label: part.label, text });
    }
  }
  return { ...base, reported: true, rating, fields, kpis };
}
