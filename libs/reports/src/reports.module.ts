import { Module } from '@nestjs/common';
import { ApprovalsModule } from '@app/approvals';
import { CyclesModule } from '@app/cycles';
import { EntriesModule } from '@app/entries';
import { OrgDirectoryModule } from '@app/org';
import { PlanItemReadsModule } from '@app/plan-items';
import { CompletenessService } from './completeness.service';
import { CsvExportService } from './csv-export.service';
import { HtmlReportService } from './html-report.service';
import { PublishedReportsService } from './published-reports.service';
import { CycleRecordService } from './record/cycle-record.service';
import { PdfPrinterService } from './record/pdf-printer.service';
import { RecordDisposalService } from './record/record-disposal.service';
import { ReportDataService } from './report-data.service';
import { SummaryService } from './summary.service';
import { XlsxExportService } from './xlsx-export.service';

/** Read models and exports over cycles and entries; no writes. */
@Module({
  imports: [CyclesModule, EntriesModule, ApprovalsModule, OrgDirectoryModule, PlanItemReadsModule],
  providers: [
    ReportDataService,
    CompletenessService,
    SummaryService,
    XlsxExportService,
    CsvExportService,
    HtmlReportService,
    PublishedReportsService,
    PdfPrinterService,
    CycleRecordService,
    RecordDisposalService,
  ],
  exports: [
    ReportDataService,
    CompletenessService,
    SummaryService,
    XlsxExportService,
    CsvExportService,
    HtmlReportService,
    PublishedReportsService,
    CycleRecordService,
    RecordDisposalService,
  ],
})
export class ReportsModule {}
