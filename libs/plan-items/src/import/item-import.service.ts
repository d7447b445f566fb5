import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService, AuditRecord } from '@app/audit';
import { DomainError } from '@app/common';
import type { Actor } from '@app/domain';
import { ItemsService } from '../items.service';
import { validateRows } from './item-import.rows';
import { readTable, UploadedTable } from './read-table';

export interface ImportResult {
  created: number;
  updated: number;
  total: number;
}

/**
 * Imports items from CSV/XLSX: every row is checked first and, if any is wrong, nothing is
 * stored and all the errors are returned (422). Otherwise items are upserted by
 * (plan, number, subNumber) in one transaction.
 */
@Injectable()
export class ItemImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly items: ItemsService,
    private readonly audit: AuditService,
  ) {}

  async import(planId: number, file: UploadedTable | undefined, actor: Actor): Promise<ImportResult> {
    if (!file) throw new DomainError('bad_request', 'ファイルを指定してください(フォーム項目名 file)', { field: 'file' });
    const [plan] = await this.dataSource.query(`SELECT id FROM plans WHERE id = $1`, [planId]);
    if (!plan) throw DomainError.notFound('計画', planId);
    const table = await readTable(file);
    if (table.length < 2) throw DomainError.invalid('file', 'データ行がありません');
    const { rows, errors } = validateRows(table, await this.sectionLookup());
    if (errors.length) {
      throw new DomainError('invalid', `${new Set(errors.map((e) => e.row)).size} 行に誤りがあるため、取り込みませんでした`, {
        field: 'file',
        errors,
      });
    }

    return this.dataSource.transaction(async (em) => {
      let created = 0;
      let updated = 0;
      const audits: AuditRecord[] = [];
      for (const r of rows) {
        const [existing] = await em.query(
          `SELECT id FROM plan_items WHERE plan_id = $1 AND number = $2 AND sub_number = $3 FOR UPDATE`,
          [planId, r.number, r.subNumber],
        );
        const before = existing ? await this.items.load(em, existing.id) : undefined;
        const fields = {
          number: r.number,
          subNumber: r.subNumber,
          chapter: r.chapter,
          category: r.category,
          title: r.title,
          content: r.content,
          targetDateText: r.targetDateText,
          // Columns the file cannot carry keep their values.
          evaluatorUserId: before?.evaluatorUserId ?? null,
          budgetThousandYen: before?.budgetThousandYen ?? null,
        };
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
        if (r.kpi) await this.items.writeKpis(em, itemId, [{ name: r.kpi.name, unit: r.kpi.unit }], false);
        audits.push({
          actorUserId: actor.id,
          action: before ? 'item.import.update' : 'item.import.create',
          subjectType: 'plan_item',
          subjectId: itemId,
          before,
          after: { ...fields, sectionIds: r.sectionIds, kpi: r.kpi, row: r.row },
          comment: file.originalname ?? null,
        });
      }
      audits.push({
        actorUserId: actor.id,
        action: 'plan.import',
        subjectType: 'plan',
        subjectId: planId,
        after: { created, updated, file: file.originalname ?? null },
      });
      await this.audit.recordMany(em, audits);
      return { created, updated, total: rows.length };
    });
  }

  /** Active sections by current name and by code. */
  private async sectionLookup(): Promise<{ byKey: Map<string, number> }> {
    const rows: { id: number; code: string; name: string }[] = await this.dataSource.query(
      `SELECT id, code, name FROM sections WHERE active ORDER BY id`,
    );
    const byKey = new Map<string, number>();
    for (const r of rows) {
      byKey.set(r.code, r.id);
      if (!byKey.has(r.name)) byKey.set(r.name, r.id);
    }
    return { byKey };
  }
}
