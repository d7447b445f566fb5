// An item as its editor holds it (every input a string) and the body the api takes from it.
import { parseTypedNumber } from '../../libs/domain/src/forms/field-value';
import { yearsOf } from './fiscal-years';
import type { FormField, KpiDirection, KpiKind, PlanItem } from './plan-types';

export type ValueDraft = string | string[];
/** A plain attribute's input, or a per-year attribute's inputs by fiscal year. */
export type AttrDraft = ValueDraft | Record<string, ValueDraft>;

export interface KpiDraft {
  uid: number;
  id?: number;
  name: string;
  unit: string;
  kind: KpiKind;
  direction: KpiDirection;
  targets: Record<string, string>;
}

export interface SectionDraft {
  uid: number;
  sectionId: string;
  content: string;
  targetDateText: string;
}

export interface ItemDraft {
  number: string;
  subNumber: string;
  chapter: string;
  category: string;
  title: string;
  content: string;
  targetDateText: string;
  evaluatorUserId: string;
  budgetThousandYen: string;
  sections: SectionDraft[];
  kpis: KpiDraft[];
  attributes: Record<string, AttrDraft>;
  /** The fiscal years the editor shows for targets and per-year attributes. */
  years: number[];
}

let nextUid = 1;
export const uid = () => nextUid++;

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

function valueDraft(field: FormField, v: unknown): ValueDraft {
  if (field.type === 'multi_choice') return Array.isArray(v) ? v.map(String) : [];
  if (field.type === 'yes_no') return v === true ? 'true' : v === false ? 'false' : '';
  return text(v);
}

function valueOf(field: FormField, d: ValueDraft | undefined): unknown {
  if (field.type === 'multi_choice') return Array.isArray(d) && d.length ? d : null;
  const s = typeof d === 'string' ? d : '';
  if (field.type === 'yes_no') return s === '' ? null : s === 'true';
  return s.trim() === '' ? null : s;
}

export const newKpi = (): KpiDraft => ({ uid: uid(), name: '', unit: '', kind: 'numeric', direction: 'higher', targets: {} });

export function draftOf(item: PlanItem | null, fields: FormField[]): ItemDraft {
  const attributes: Record<string, AttrDraft> = {};
  for (const f of fields) {
    const v = item?.attributes[f.key];
    attributes[f.key] = f.perYear
      ? Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).map(([y, x]) => [y, valueDraft(f, x)]))
      : valueDraft(f, v);
  }
  const perYear = fields.filter((f) => f.perYear).map((f) => item?.attributes[f.key] as Record<string, unknown> | undefined);
  return {
    number: text(item?.number),
    subNumber: item?.subNumber ?? '',
    chapter: item?.chapter ?? '',
    category: item?.category ?? '',
    title: item?.title ?? '',
    content: item?.content ?? '',
    targetDateText: item?.targetDateText ?? '',
    evaluatorUserId: text(item?.evaluatorUserId),
    budgetThousandYen: text(item?.budgetThousandYen),
    sections: (item?.sections ?? []).map((s) => ({
      uid: uid(),
      sectionId: String(s.sectionId),
      content: s.content ?? '',
      targetDateText: s.targetDateText ?? '',
    })),
    kpis: (item?.kpis ?? []).map((k) => ({
      uid: uid(),
      id: k.id,
      name: k.name,
      unit: k.unit,
      kind: k.kind,
      direction: k.direction,
      targets: Object.fromEntries(Object.entries(k.targets).map(([y, t]) => [y, String(t)])),
    })),
    attributes,
    years: yearsOf(...(item?.kpis ?? []).map((k) => k.targets), ...perYear),
  };
}

/** What the api takes; numbers typed with full-width digits are the api's to normalise. */
export function bodyOf(d: ItemDraft, fields: FormField[]): Record<string, unknown> {
  const budget = d.budgetThousandYen.trim();
  const years = d.years.map(String);
  const attributes: Record<string, unknown> = {};
  for (const f of fields) {
    const v = d.attributes[f.key];
    if (f.perYear) {
      const byYear = (v ?? {}) as Record<string, ValueDraft>;
      attributes[f.key] = Object.fromEntries(years.map((y) => [y, valueOf(f, byYear[y])]));
    } else {
      attributes[f.key] = valueOf(f, v as ValueDraft);
    }
  }
  return {
    number: Number(d.number.normalize('NFKC')),
    subNumber: d.subNumber.trim(),
    // null, not undefined: a cleared box clears the stored value on update.
    chapter: d.chapter.trim() || null,
    category: d.category.trim() || null,
    title: d.title.trim(),
    content: d.content.trim() ? d.content : null,
    targetDateText: d.targetDateText.trim() || null,
    evaluatorUserId: d.evaluatorUserId ? Number(d.evaluatorUserId) : null,
    budgetThousandYen: budget === '' ? null : Number.isNaN(parseTypedNumber(budget)) ? budget : parseTypedNumber(budget),
    sections: d.sections.map((s) => ({
      sectionId: Number(s.sectionId),
      content: s.content || undefined,
      targetDateText: s.targetDateText.trim() || undefined,
    })),
    kpis: d.kpis.map((k) => ({
      ...(k.id ? { id: k.id } : {}),
      name: k.name.trim(),
      unit: k.unit.trim(),
      kind: k.kind,
      direction: k.direction,
      targets: Object.fromEntries(years.map((y) => [y, (k.targets[y] ?? '').trim() || null])),
    })),
    attributes,
  };
}
