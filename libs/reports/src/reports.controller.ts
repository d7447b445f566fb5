import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor, Roles } from '@app/auth';
import { TemplatesService } from '@app/cycles';
import type { Actor } from '@app/domain';
import { eraYearLabel } from '@app/domain';
import { attachmentDisposition, IdPipe, safeFilename } from '@app/common';
import { CompletenessService } from './completeness.service';
import { CsvExportService } from './csv-export.service';
import { CompletenessQueryDto, MatrixExportQueryDto, SummaryQueryDto, YearOverYearQueryDto } from './dto/report-query.dto';
import { HtmlReportService } from './html-report.service';
import { ReportDataService, reportScope } from './report-data.service';
import { streamTo } from './stream-response';
import { SummaryService } from './summary.service';
import { XlsxExportService } from './xlsx-export.service';
import { CompletenessDto, SummaryDto, YearOverYearDto } from './dto/report.response';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The planning division's views of a cycle: completeness, summary, exports, printable report. */
@ApiTags('reports')
@ApiBearerAuth()
@Roles('planning', 'admin', 'evaluator')
@Controller()
export class ReportsController {
  constructor(
    private readonly data: ReportDataService,
    private readonly completeness: CompletenessService,
    private readonly summary: SummaryService,
    private readonly xlsx: XlsxExportService,
    private readonly csv: CsvExportService,
    private readonly html: HtmlReportService,
    private readonly templates: TemplatesService,
  ) {}

  @Get('cycles/:id/completeness')
  @ApiOkResponse({ type: CompletenessDto })
  completenessOf(@Param('id', IdPipe) id: number, @Query() q: CompletenessQueryDto, @CurrentActor() actor: Actor) {
    return this.completeness.forCycle(id, q.asOf, reportScope(actor));
  }

  @Get('cycles/:id/summary')
  @ApiOkResponse({ type: SummaryDto })
  summaryOf(@Param('id', IdPipe) id: number, @Query() q: SummaryQueryDto, @CurrentActor() actor: Actor) {
    return this.summary.forCycle(id, q.acceptedOnly ?? true, reportScope(actor));
  }

  @Get('templates/:id/year-over-year')
  @ApiOkResponse({ type: YearOverYearDto })
  yearOverYear(@Param('id', IdPipe) id: number, @Query() q: YearOverYearQueryDto, @CurrentActor() actor: Actor) {
    return this.summary.yearOverYear(id, q.acceptedOnly ?? false, reportScope(actor));
  }

  @Get('cycles/:id/export.xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async exportXlsx(@Param('id', IdPipe) id: number, @Query() q: SummaryQueryDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    const ctx = await this.data.context(id); // 404 before any byte is sent
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', attachmentDisposition(`${ctx.fileBase}.xlsx`, `cycle-${id}.xlsx`));
    await streamTo(res, () => this.xlsx.writeCycle(id, res, q.acceptedOnly ?? true, reportScope(actor)));
  }

  @Get('cycles/:id/export.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async exportCsv(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res() res: Response) {
    const ctx = await this.data.context(id);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachmentDisposition(`${ctx.fileBase}.csv`, `cycle-${id}.csv`));
    await streamTo(res, () => this.csv.writeCycle(id, res, reportScope(actor)));
  }

  @Get('cycles/:id/report.html')
  @ApiProduces('text/html')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async report(@Param('id', IdPipe) id: number, @Query() q: SummaryQueryDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    const ctx = await this.data.context(id);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    await streamTo(res, () =>
      this.html.write(ctx, res, { published: false, acceptedOnly: q.acceptedOnly ?? true, scope: reportScope(actor), styleNonce: res.locals.cspNonce }),
    );
  }

  @Get('templates/:id/matrix.xlsx')
  @ApiProduces(XLSX_TYPE)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async matrixXlsx(@Param('id', IdPipe) id: number, @Query() q: MatrixExportQueryDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    const template = await this.templates.get(id);
    const name = safeFilename(`${template.name}_${q.fiscalYear ? eraYearLabel(q.fiscalYear) : '全期間'}_進捗一覧`);
    res.setHeader('Content-Type', XLSX_TYPE);
    res.setHeader('Content-Disposition', attachmentDisposition(`${name}.xlsx`, `matrix-${id}.xlsx`));
    await streamTo(res, () => this.xlsx.writeMatrix(id, q.fiscalYear, actor, res));
  }
}
