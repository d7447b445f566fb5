import { Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { csvLine, UTF8_BOM } from './domain/csv';
import { INTERNAL_LIST_COLUMNS, ListColumn, PUBLIC_LIST_COLUMNS } from './list-columns';
import { ReportDataService, ReportScope } from './report-data.service';
import { write } from './stream-write';

/** The cycle's list as CSV (UTF-8 with BOM, CRLF), streamed batch by batch. */
@Injectable()
export class CsvExportService {
  constructor(private readonly data: ReportDataService) {}

  /** Internal: every entry with its workflow columns. */
  writeCycle(cycleId: number, out: Writable, scope: ReportScope = null): Promise<void> {
    return this.write(cycleId, out, INTERNAL_LIST_COLUMNS, false, scope);
  }

  /** Published: accepted entries only, published columns only. */
  writePublished(cycleId: number, out: Writable): Promise<void> {
    return this.write(cycleId, out, PUBLIC_LIST_COLUMNS, true);
  }

  private async write(cycleId: number, out: Writable, columns: ListColumn[], acceptedOnly: boolean, scope: ReportScope = null): Promise<void> {
    const ctx = await this.data.context(cycleId);
    await write(out, UTF8_BOM + csvLine(columns.map((c) => c.header)));
    for await (const batch of this.data.batches(cycleId, { acceptedOnly, scope })) {
      await write(out, batch.map((row) => csvLine(columns.map((c) => c.value(row, ctx.scale)))).join(''));
    }
    out.end();
  }
}
