import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import { SectionDirectory, UserDirectory } from '@app/org';
import { fiscalYearOf, tokyoToday, type Actor } from '@app/domain';
import { sectionKeys } from '../import/item-import.rows';
import { ItemsService } from '../items.service';
import { itemExportCsv, itemExportXlsx } from './item-export.files';
import { ExportTable, itemExportTable } from './item-export.table';

export interface ExportFile {
  /** 計画コード_項目一覧.csv */
  filename: string;
  /** ASCII name for old clients. */
  fallback: string;
  body: Buffer;
}

/** Every item of a plan in the import's own format (CSV or XLSX): export, edit, import. */
@Injectable()
export class ItemExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly items: ItemsService,
    private readonly sectionDirectory: SectionDirectory,
    private readonly users: UserDirectory,
  ) {}

  async csv(planId: number, actor: Actor): Promise<ExportFile> {
    const { plan, table } = await this.table(planId, actor);
    return { ...names(plan.code, 'csv'), body: Buffer.from(itemExportCsv(table), 'utf8') };
  }

  async xlsx(planId: number, actor: Actor): Promise<ExportFile> {
    const { plan, table } = await this.table(planId, actor);
    return { ...names(plan.code, 'xlsx'), body: await itemExportXlsx(table, plan.name) };
  }

  private async table(planId: number, actor: Actor): Promise<{ plan: { code: string; name: string }; table: ExportTable }> {
    const [plan]: { code: string; name: string }[] = await this.dataSource.query(`SELECT code, name FROM plans WHERE id = $1`, [planId]);
    if (!plan) throw DomainError.notFound('計画', planId);
    // Planning and admin (the only callers) see every item.
    const items = await this.items.list(planId, {}, actor);
    const sections = (await this.sectionDirectory.active()).map(({ id, code, name }) => ({ id, code, name }));
    const users = [...(await this.users.rows(items.map((i) => i.evaluatorUserId))).values()];
    const table = itemExportTable(items, {
      fields: await this.items.itemFields(this.dataSource.manager, planId),
      sectionKeys: sectionKeys(sections),
      logins: new Map(users.map((u) => [u.id, u.login])),
      fiscalYear: fiscalYearOf(tokyoToday()),
    });
    return { plan, table };
  }
}

function names(code: string, ext: 'csv' | 'xlsx'): { filename: string; fallback: string } {
  return { filename: `${code}_項目一覧.${ext}`, fallback: `${code}-items.${ext}` };
}
