import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, AuditRecord } from '@app/audit';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { SectionDirectory, UserDirectory } from '@app/org';
import { namesSelfAsEvaluator, SELF_EVALUATOR_MESSAGE } from '@app/domain';
import type { Actor, KpiKind } from '@app/domain';
import { applyAttributeChanges } from '../item-attributes';
import { invalid, kpisUnchanged, writeKpis } from '../item-kpis';
import { ItemFields, ItemsService, ItemView } from '../items.service';
import { ItemEntryUsage } from '../reads/item-entry-usage';
import { importTemplateCsv, kpiKindKey, SectionLookup, sectionKeys, validateRows } from './item-import.rows';
import { readTable, UploadedTable } from './read-table';

export interface ImportResult {
  created: number;
  updated: number;
  /** Rows that match their item exactly: nothing written, no version bump, no audit record. */
  unchanged: number;
  total: number;
  /** Header cells the import did not read (misspelt attribute labels show up here). */
  ignoredColumns: string[];
}

/**
 * Imports items from CSV/XLSX: every row is checked first and, if any is wrong, nothing is
 * stored and all the errors are returned (422). Otherwise items are upserted by
 * (plan, number, subNumber) in one transaction. A row that would change nothing on its item
 * (an exported file imported again) is left alone: the item keeps its version, so nobody
 * editing it gets a conflict, and the audit trail records only real changes.
 */
@Injectable()
export class ItemImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly items: ItemsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly usage: ItemEntryUsage,
    private readonly sections: SectionDirectory,
    private readonly users: UserDirectory,
  ) {}

  /** The CSV template with the plan's attribute columns. */
  async template(planId: number): Promise<string> {
    const [plan] = await this.dataSource.query(`SELECT id FROM plans WHERE id = $1`, [planId]);
    if (!plan) throw DomainError.notFound('計画', planId);
    return importTemplateCsv(await this.items.itemFields(this.dataSource.manager, planId));
  }

  async import(planId: number, file: UploadedTable | undefined, actor: Actor): Promise<ImportResult> {
    if (!file) throw new DomainError('bad_request', 'ファイルを指定してください(フォーム項目名 file)', { field: 'file' });
    const [plan] = await this.dataSource.query(`SELECT id FROM plans WHERE id = $1`, [planId]);
    if (!plan) throw DomainError.notFound('計画', planId);
    const table = await readTable(file, {
      rows: this.config.IMPORT_MAX_ROWS,
      columns: this.config.IMPORT_MAX_COLUMNS,
      cells: this.config.IMPORT_MAX_CELLS,
    });
    if (table.length < 2) throw DomainError.invalid('file', 'データ行がありません');
    const lookup = await this.lookup(planId);
    const { rows, errors, ignoredColumns } = validateRows(table, lookup);
    if (errors.length) {
      throw new DomainError('invalid', `${new Set(errors.map((e) => e.row)).size} 行に誤りがあるため、取り込みませんでした`, {
        field: 'file',
        errors,
        ignoredColumns,
      });
    }

    return this.dataSource.transaction(async (em) => {
      let created = 0;
      let updated = 0;
      let unchanged = 0;
      const audits: AuditRecord[] = [];
      for (const r of rows) {
        const [existing] = await em.query(`SELECT id FROM plan_items WHERE plan_id = $1 AND number = $2 AND sub_number = $3 FOR UPDATE`, [
          planId,
          r.number,
          r.subNumber,
        ]);
        const before = existing ? await this.items.load(em, existing.id) : undefined;
        if (namesSelfAsEvaluator(actor.id, r.evaluatorUserId, before?.evaluatorUserId)) {
          throw new DomainError('invalid', `${r.row} 行目: ${SELF_EVALUATOR_MESSAGE}`, {
            field: 'file',
            errors: [{ row: r.row, field: '評価者', message: SELF_EVALUATOR_MESSAGE }],
          });
        }
        const fields = {
          number: r.number,
          subNumber: r.subNumber,
          chapter: r.chapter,
          category: r.category,
          title: r.title,
          content: r.content,
          targetDateText: r.targetDateText,
          // Columns the file does not have keep their values.
          evaluatorUserId: r.evaluatorUserId !== undefined ? r.evaluatorUserId : (before?.evaluatorUserId ?? null),
          budgetThousandYen: r.budgetThousandYen !== undefined ? r.budgetThousandYen : (before?.budgetThousandYen ?? null),
        };
        const stored = before ? { ...before.retiredAttributes, ...before.attributes } : {};
        const attributes = applyAttributeChanges(lookup.fields ?? [], stored, r.attributes, { mergeYears: true });
        if (attributes.errors.length) throw invalid(attributes.errors);
        if (before && sameItem(before, fields, r.sectionIds, stored, attributes.attributes) && kpisUnchanged(before.kpis, r.kpis, KPI_IMPORT)) {
          unchanged++;
          continue;
        }
        let itemId: number;
        if (before) {
          itemId = before.id;
          await this.items.updateItem(em, itemId, fields);
          updated++;
        } else {
          itemId = await this.items.insertItem(em, planId, fields);
          created++;
        }
        // A section keeps its own content and target date when it stays responsible.
        const sections = r.sectionIds.map((sectionId) => {
          const kept = before?.sections.find((s) => s.sectionId === sectionId);
          return { sectionId, content: kept?.content ?? undefined, targetDateText: kept?.targetDateText ?? undefined };
        });
        await this.items.writeSections(em, itemId, sections);
        await this.items.writeAttributes(em, itemId, attributes.attributes);
        if (r.kpis.length) await writeKpis(em, itemId, r.kpis, { ...KPI_IMPORT, usage: this.usage });
        audits.push({
          actorUserId: actor.id,
          action: before ? 'item.import.update' : 'item.import.create',
          subjectType: 'plan_item',
          subjectId: itemId,
          before,
          after: { ...fields, sectionIds: r.sectionIds, kpis: r.kpis, attributes: attributes.attributes, row: r.row },
          comment: file.originalname ?? null,
        });
      }
      audits.push({
        actorUserId: actor.id,
        action: 'plan.import',
        subjectType: 'plan',
        subjectId: planId,
        after: { created, updated, unchanged, file: file.originalname ?? null },
      });
      await this.audit.recordMany(em, audits);
      return { created, updated, unchanged, total: rows.length, ignoredColumns };
    });
  }

  /** Active sections by current name and by code, active users by login, the plan's attributes and KPI kinds. */
  private async lookup(planId: number): Promise<SectionLookup> {
    const sections = (await this.sections.active()).map(({ id, code, name }) => ({ id, code, name }));
    const users = await this.users.activeLogins();
    const kpis: { number: number; sub_number: string; name: string; kind: KpiKind }[] = await this.dataSource.query(
      `SELECT i.number, i.sub_number, k.name, k.kind FROM plan_item_kpis k JOIN plan_items i ON i.id = k.item_id WHERE i.plan_id = $1`,
      [planId],
    );
    return {
      byKey: sectionKeys(sections),
      users: new Map(users.map((u) => [u.login, u.id])),
      kpiKinds: new Map(kpis.map((k) => [kpiKindKey(k.number, k.sub_number, k.name), k.kind])),
      fields: await this.items.itemFields(this.dataSource.manager, planId),
    };
  }
}

/** The importer's KPI writes: the file's KPIs laid over the item's (none removed), its years over the stored targets. */
const KPI_IMPORT = { replace: false, mergeTargets: true } as const;

/** The row's item columns, sections (in order) and attributes are what the item has ('' and null alike). */
function sameItem(before: ItemView, fields: ItemFields, sectionIds: number[], stored: Record<string, unknown>, attributes: Record<string, unknown>): boolean {
  const same = (a: unknown, b: unknown) => (a ?? '') === (b ?? '');
  return (
    (Object.keys(fields) as (keyof ItemFields)[]).every((k) => same(before[k], fields[k])) &&
    before.sections.length === sectionIds.length &&
    before.sections.every((s, i) => s.sectionId === sectionIds[i]) &&
    canonicalJson(stored) === canonicalJson(attributes)
  );
}

/** JSON with object keys sorted, so two values compare equal whatever order jsonb or a merge left their keys in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
