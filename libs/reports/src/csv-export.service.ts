import { Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { Audience } from './columns/column-model';
import { rowCells } from './columns/entry-view';
import { csvLine, UTF8_BOM } from '@app/common';
import { ReportDataService, ReportScope, rowNeeds } from './report-data.service';
import { write } from './stream-write';

/** The cycle's list as CSV (UTF-8 with BOM, CRLF), streamed batch by batch; columns from the cycle's form. */
@Injectable()
export class CsvExportService {
  constructor(private readonly data: ReportDataService) {}

  /** Internal: every entry, with the workflow columns. */
  writeCycle(cycleId: number, out: Writable, scope: ReportScope = null): Promise<void> {
    return this.write(cycleId, out, 'internal', false, scope);
  }

  /** Published: accepted entries only, the form's fields without the workflow. */
  writePublished(cycleId: number, out: Writable): Promise<void> {
    return this.write(cycleId, out, 'public', true);
  }

  private async write(cycleId: number, out: Writable, audience: Audience, acceptedOnly: boolean, scope: ReportScope = null): Promise<void> {
    const model = await this.data.model(await this.data.context(cycleId), audience);
    await write(out, UTF8_BOM + csvLine(model.columns.map((c) => c.header)));
    for await (const batch of this.data.batches(cycleId, { acceptedOnly, scope, ...rowNeeds(model) })) {
      await write(out, batch.map((row) => csvLine(rowCells(model, row))).join(''));
    }
    out.end();
  }
}
