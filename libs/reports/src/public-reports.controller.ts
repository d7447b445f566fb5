import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/auth';
import { attachmentDisposition, IdPipe } from '@app/common';
import { CsvExportService } from './csv-export.service';
import { HtmlReportService } from './html-report.service';
import { PublishedReportsService } from './published-reports.service';
import { ReportDataService } from './report-data.service';
import { streamTo } from './stream-response';
import { SummaryService } from './summary.service';
import { PublicSummaryDto } from './dto/report.response';

/**
 * The published results, readable without login at stable addresses (/public/cycles/:id/report.html,
 * summary.json, export.csv; the page /public/cycles/:id itself belongs to libs/public-site).
 * What is served is the latest frozen publication (published_reports: 第N版 with its date): an
 * edit or a reopening after publication changes nothing here until the cycle is published
 * again. A cycle published before publications were frozen is rendered live while 'published'.
 * Only accepted entries. What is public is the cycle's form as defined: the item (番号, 項目, 章, 分類, 内容,
 * 目標期日, 所管課), the plan's item attributes, and every field of the form — entry fields of
 * any type (a shortfall analysis too: real reports publish it), the KPI table, the section's
 * and the department's fields with 部長名 — in the layout the form names (list or sheet), a
 * field hidden by its rule left blank. Not public: the workflow (状態, 提出日, 承認日), who
 * evaluated and approved it (評価者, 承認者, 代決), the completeness table, and every entry not
 * accepted.
 */
@ApiTags('public')
@Public()
@Controller('public/cycles')
export class PublicReportsController {
  constructor(
    private readonly data: ReportDataService,
    private readonly summary: SummaryService,
    private readonly csv: CsvExportService,
    private readonly html: HtmlReportService,
    private readonly published: PublishedReportsService,
  ) {}

  /**
   * The latest publication's printable report exactly as frozen (第N版, its date), even while the
   * cycle is reopened. The cycle's public page (/public/cycles/:id) is the public site's.
   */
  @Get(':id/report.html')
  @ApiProduces('text/html')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async page(@Param('id', IdPipe) id: number, @Res() res: Response) {
    const frozen = await this.published.latest(id);
    res.setHeader('Cache-Control', 'public, max-age=300');
    if (frozen) {
      res.type('html').send(frozen.html);
      return;
    }
    const ctx = await this.data.publishedContext(id);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    await streamTo(res, () => this.html.write(ctx, res, { published: true, acceptedOnly: true, styleNonce: res.locals.cspNonce }));
  }

  @Get(':id/summary.json')
  @ApiOkResponse({ type: PublicSummaryDto })
  async summaryJson(@Param('id', IdPipe) id: number) {
    const frozen = await this.published.latest(id);
    if (frozen) return { ...frozen.summary, version: frozen.version, publishedAt: frozen.publishedAt };
    await this.data.publishedContext(id);
    return this.published.summaryJson(id);
  }

  @Get(':id/export.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async exportCsv(@Param('id', IdPipe) id: number, @Res() res: Response) {
    const frozen = await this.published.latest(id);
    const ctx = frozen ? await this.data.context(id) : await this.data.publishedContext(id);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachmentDisposition(`${ctx.fileBase}.csv`, `cycle-${id}.csv`));
    if (frozen) {
      res.send(frozen.csv);
      return;
    }
    await streamTo(res, () => this.csv.writePublished(id, res));
  }
}
