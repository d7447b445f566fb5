import type { EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { eraYearLabel, KpiDirection, KpiKind, parseTypedNumber } from '@app/domain';
import type { KpiDefinition } from '@app/domain';
import { FieldProblem, FISCAL_YEAR_KEY_MESSAGE, isFiscalYearKey } from './item-attributes';
import type { ItemEntryUsage } from './reads/item-entry-usage';

/** A KPI as the api and the importer give it; `id` names an existing KPI of the item (to rename it). */
export interface KpiInput {
  id?: number;
  name: string;
  unit?: string;
  kind?: KpiKind;
  direction?: KpiDirection;
  /** Fiscal year → target: a number (typed digits accepted) for numeric KPIs, wording for milestones. */
  targets?: Record<string, unknown>;
}

/** A KPI as the items api returns it: the domain's definition and its place in the item. */
export interface ItemKpiView extends KpiDefinition {
  sort: number;
}

export const MAX_MILESTONE_LENGTH = 200;

/** Targets normalised for the KPI's kind: empty years dropped, keys 4-digit fiscal years. */
export function normaliseTargets(kind: KpiKind, raw: unknown, at: string): { targets: Record<string, number | string>; errors: FieldProblem[] } {
  const targets: Record<string, number | string> = {};
  const errors: FieldProblem[] = [];
  if (raw === null || raw === undefined) return { targets, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { targets, errors: [{ field: at, message: '目標値は年度ごとに {"2024": 80} の形式で指定してください' }] };
  }
  for (const year of Object.keys(raw).sort()) {
    const value = (raw as Record<string, unknown>)[year];
    const where = `${at}.${year}`;
    if (!isFiscalYearKey(year)) {
      errors.push({ field: where, message: `目標値の年度「${year}」: ${FISCAL_YEAR_KEY_MESSAGE}` });
      continue;
    }
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) continue;
    const era = eraYearLabel(Number(year));
    if (kind === 'numeric') {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? parseTypedNumber(value) : NaN;
      if (!Number.isFinite(n))
        errors.push({
          field: where,
          message: `${era}の目標値「${String(value)}」は数値で入力してください(文言の目標は種類を「達成目標(文言)」にしてください)`,
        });
      else targets[year] = n;
    } else {
      if (typeof value !== 'string' && typeof value !== 'number') {
        errors.push({ field: where, message: `${era}の目標は文言で入力してください` });
        continue;
      }
      const text = String(value).trim();
      if ([...text].length > MAX_MILESTONE_LENGTH) errors.push({ field: where, message: `${era}の目標は${MAX_MILESTONE_LENGTH}文字以内で入力してください` });
      else targets[year] = text;
    }
  }
  return { targets, errors };
}

/** A KPI as stored (ItemKpiView is one). */
export interface StoredKpi {
  id: number;
  name: string;
  unit: string;
  kind: KpiKind;
  direction: KpiDirection;
  targets: Record<string, number | string>;
  sort: number;
}

export interface KpiWriteOptions {
  replace: boolean;
  /** Which KPIs hold an actual in some entry (asked of libs/entries). */
  usage?: Pick<ItemEntryUsage, 'kpiIdsWithActuals'>;
  mergeTargets?: boolean;
  fieldPrefix?: string;
}

interface KpiWrite {
  row: StoredKpi | undefined;
  input: KpiInput;
  unit: string;
  kind: KpiKind;
  direction: KpiDirection;
  targets: Record<string, number | string>;
}

/** What writeKpis would write over `existing` (in sort order): each KPI matched, its values, the problems. */
export function planKpiWrites(
  existing: readonly StoredKpi[],
  kpis: readonly KpiInput[],
  options: KpiWriteOptions,
): { writes: KpiWrite[]; removed: StoredKpi[]; errors: FieldProblem[] } {
  const prefix = options.fieldPrefix ?? 'kpis';
  const errors: FieldProblem[] = [];
  const writes: KpiWrite[] = [];
  const used = new Set<number>();
  for (const [i, k] of kpis.entries()) {
    const at = `${prefix}[${i}]`;
    const row = k.id !== undefined ? existing.find((e) => e.id === k.id) : existing.find((e) => e.name === k.name && !used.has(e.id));
    if (k.id !== undefined && !row) {
      errors.push({ field: `${at}.id`, message: `指標 ${k.id} はこの項目の指標ではありません` });
      continue;
    }
    if (row && used.has(row.id)) {
      errors.push({ field: `${at}.id`, message: `指標 ${row.id} が重複しています` });
      continue;
    }
    if (row) used.add(row.id);
    const kind = k.kind ?? row?.kind ?? 'numeric';
    const direction = k.direction ?? row?.direction ?? 'higher';
    let targets: Record<string, number | string>;
    if (k.targets !== undefined) {
      const given = normaliseTargets(kind, k.targets, `${at}.targets`);
      errors.push(...given.errors);
      targets = given.targets;
      if (options.mergeTargets && row && row.kind === kind) {
        const kept = Object.fromEntries(Object.entries(row.targets ?? {}).filter(([year]) => !(year in (k.targets as object))));
        targets = sortYears({ ...kept, ...targets });
      }
    } else if (row && row.kind !== kind) {
      const kept = normaliseTargets(kind, row.targets, `${at}.targets`);
      if (kept.errors.length) errors.push({ field: `${at}.kind`, message: `指標「${k.name}」の種類を変える場合は目標値も指定し直してください` });
      targets = kept.targets;
    } else {
      targets = row?.targets ?? {};
    }
    // The api's list gives each KPI whole (no unit: none); a file without the unit column keeps it.
    const unit = k.unit ?? (options.replace ? '' : (row?.unit ?? ''));
    writes.push({ row, input: k, unit, kind, direction, targets });
  }
  const removed = options.replace ? existing.filter((e) => !used.has(e.id)) : [];
  return { writes, removed, errors };
}

/** True when writing `kpis` over `existing` would change nothing (no KPI added, removed, reordered or altered). */
export function kpisUnchanged(existing: readonly StoredKpi[], kpis: readonly KpiInput[], options: KpiWriteOptions): boolean {
  const { writes, removed, errors } = planKpiWrites(existing, kpis, options);
  if (errors.length || removed.length) return false;
  return writes.every(
    (w, i) =>
      w.row !== undefined &&
      w.row.name === w.input.name &&
      w.row.unit === w.unit &&
      w.row.kind === w.kind &&
      w.row.direction === w.direction &&
      sameTargets(w.row.targets ?? {}, w.targets) &&
      (!options.replace || w.row.sort === i),
  );
}

function sameTargets(a: Record<string, number | string>, b: Record<string, number | string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((year) => year in b && a[year] === b[year]);
}

/**
 * Writes an item's KPIs, keeping their ids (entries' KPI actuals refer to them): a KPI is the
 * existing one with its `id`, else the one with its name, else a new one. With `replace` (the
 * api) the list is the item's KPIs in order and the others are removed, unless a report holds an
 * actual for one (409: the actual would lose its KPI). Without it (the importer) the others
 * stay. Targets given replace the KPI's, or with `mergeTargets` (a file carries some years) are
 * laid over them; targets left out are kept. Problems are 422 naming `kpis[i]...`.
 */
export async function writeKpis(em: EntityManager, itemId: number, kpis: readonly KpiInput[], options: KpiWriteOptions): Promise<void> {
  const prefix = options.fieldPrefix ?? 'kpis';
  const existing: StoredKpi[] = await em.query(
    `SELECT id, name, unit, kind, direction, targets, sort FROM plan_item_kpis WHERE item_id = $1 ORDER BY sort, id`,
    [itemId],
  );
  const { writes, removed, errors } = planKpiWrites(existing, kpis, options);
  if (errors.length) throw invalid(errors);

  if (removed.length) {
    if (!options.usage) throw new Error("writeKpis: removing KPIs needs the entries' usage");
    const heldIds = await options.usage.kpiIdsWithActuals(
      em,
      itemId,
      removed.map((k) => k.id),
    );
    const held = removed.filter((k) => heldIds.has(k.id)).sort((a, b) => a.sort - b.sort || a.id - b.id);
    if (held.length) {
      throw DomainError.conflict(
        `指標「${held.map((h) => h.name).join('」「')}」はエントリーに実績が入力されているため削除できません(名称や目標値の変更はできます)`,
        { field: prefix },
      );
    }
    await em.query(`DELETE FROM plan_item_kpis WHERE id = ANY($1::int[])`, [removed.map((k) => k.id)]);
  }
  const offset = options.replace ? 0 : existing.length;
  let added = 0;
  for (const [i, w] of writes.entries()) {
    const params = [w.input.name, w.unit, w.kind, w.direction, JSON.stringify(w.targets)];
    if (w.row) {
      await em.query(
        `UPDATE plan_item_kpis SET name = $2, unit = $3, kind = $4, direction = $5, targets = $6::jsonb, sort = COALESCE($7, sort) WHERE id = $1`,
        [w.row.id, ...params, options.replace ? i : null],
      );
    } else {
      await em.query(`INSERT INTO plan_item_kpis (item_id, name, unit, kind, direction, targets, sort) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`, [
        itemId,
        ...params,
        options.replace ? i : offset + added++,
      ]);
    }
  }
}

function sortYears<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** 422 with every problem, the first one's field named like the other validation errors. */
export function invalid(errors: FieldProblem[]): DomainError {
  return new DomainError('invalid', errors.map((e) => `${e.field}: ${e.message}`).join(' / '), { field: errors[0].field, errors });
}
