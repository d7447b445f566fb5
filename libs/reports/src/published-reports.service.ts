import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { DomainEvent } from '@app/common';
import type { CyclePublishedEvent } from '@app/common';
import { CsvExportService } from './csv-export.service';
import { HtmlReportService } from './html-report.service';
import { ReportDataService } from './report-data.service';
import { SummaryService } from './summary.service';

export interface PublishedReport {
  version: number;
  publishedAt: Date;
  html: string;
  csv: string;
  summary: Record<string, unknown>;
}

/** Collects what a report writer streams. */
class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * Publications frozen (published_reports): at each publication the public page, CSV and
 * summary are rendered once and stored as version N. The public addresses serve the latest
 * version: what citizens read changes only when the cycle is published again, whatever is edited
 * or reopened meanwhile.
 */
@Injectable()
export class PublishedReportsService {
  private readonly logger = new Logger(PublishedReportsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly data: ReportDataService,
    private readonly html: HtmlReportService,
    private readonly csv: CsvExportService,
    private readonly summary: SummaryService,
  ) {}

  @OnEvent(DomainEvent.CyclePublished, { suppressErrors: false })
  async onPublished(event: CyclePublishedEvent): Promise<void> {
    await this.freeze(event.cycleId, event.actorUserId);
  }

  /** Renders the cycle's public page, CSV and summary as they are now and stores them as its next version. */
  async freeze(cycleId: number, actorUserId: number | null): Promise<PublishedReport> {
    const ctx = await this.data.context(cycleId);
    const [{ next }] = await this.dataSource.query(`SELECT COALESCE(max(version), 0) + 1 AS next FROM published_reports WHERE cycle_id = $1`, [cycleId]);
    const page = new Collector();
    await this.html.write(ctx, page, { published: true, acceptedOnly: true, version: next });
    const csv = new Collector();
    await this.csv.writePublished(cycleId, csv);
    const summary = await this.summaryJson(cycleId);
    const [row] = await this.dataSource.query(
      `INSERT INTO published_reports (cycle_id, version, published_at, published_by, html, csv, summary)
       VALUES ($1, $2, COALESCE((SELECT published_at FROM cycles WHERE id = $1), now()), $3, $4, $5, $6)
       RETURNING version, published_at AS "publishedAt", html, csv, summary`,
      [cycleId, next, actorUserId, page.text(), csv.text(), JSON.stringify(summary)],
    );
    this.logger.log(`cycle ${cycleId}: publication version ${next} frozen`);
    return row;
  }

  /** The latest frozen publication, or null for a cycle never published since publications were frozen. */
  async latest(cycleId: number): Promise<PublishedReport | null> {
    const [row] = await this.dataSource.query(
      `SELECT version, published_at AS "publishedAt", html, csv, summary FROM published_reports WHERE cycle_id = $1 ORDER BY version DESC LIMIT 1`,
      [cycleId],
    );
    return row ?? null;
  }

  /** The public summary (counts per rating, by chapter and department) as published. */
  async summaryJson(cycleId: number): Promise<Record<string, unknown>> {
    const s = await this.summary.forCycle(cycleId, true);
    return {
      cycle: {
        id: s.cycle.id,
        label: s.cycle.label,
        fiscalYearLabel: s.cycle.fiscalYearLabel,
        periodLabel: s.cycle.periodLabel,
        publishedAt: s.cycle.publishedAt,
      },
      scale: s.scale,
      total: s.total,
      ratings: s.ratings,
      unrated: s.unrated,
      ordinals: s.ordinals,
      byChapter: s.byChapter,
      byDepartment: s.byDepartment,
    };
  }
}
