import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { DomainEvent } from '@app/common';
import { CycleReads } from '@app/cycles';
import { PlanReads } from '@app/plan-items';
import type { CyclePublishedEvent } from '@app/common';
import type { PublicSnapshot, SnapshotEntry } from './columns/public-snapshot';
import { snapshotEntry, snapshotFieldLabels } from './columns/public-snapshot';
import { CsvExportService } from './csv-export.service';
import { HtmlReportService } from './html-report.service';
import { CycleContext, ReportDataService, rowNeeds } from './report-data.service';
import { SummaryService } from './summary.service';

export interface PublishedReport {
  version: number;
  publishedAt: Date;
  html: string;
  csv: string;
  summary: Record<string, unknown>;
}

/** One publication as the public site reads it: its version, date and structured data. */
export interface PublishedVersion {
  cycleId: number;
  version: number;
  publishedAt: Date;
  snapshot: PublicSnapshot;
}

/** The latest publication of a cycle without its entries, with how many it holds and how many were reported. */
export interface PublishedHead {
  cycleId: number;
  version: number;
  publishedAt: Date;
  snapshot: Omit<PublicSnapshot, 'entries'>;
  entriesTotal: number;
  entriesReported: number;
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
 * The latest publication of one cycle of a municipality of the current tenant (a prefecture), as
 * counts: how many rows it had, how many were reported, how many per rating. No text.
 */
export interface MunicipalityPublication {
  tenantId: number;
  cycleId: number;
  version: number;
  publishedAt: Date;
  templateName: string;
  periodKey: string;
  periodLabel: string;
  fiscalYear: number;
  scale: PublicSnapshot['scale'];
  total: number;
  reported: number;
  /** Reported rows per rating value. */
  ratings: Record<string, number>;
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
    private readonly planReads: PlanReads,
    private readonly cycles: CycleReads,
  ) {}

  @OnEvent(DomainEvent.CyclePublished, { suppressErrors: false })
  async onPublished(event: CyclePublishedEvent): Promise<void> {
    await this.freeze(event.cycleId, event.actorUserId);
  }

  /** Renders the cycle's public page, CSV and summary as they are now and stores them as its next version. */
  async freeze(cycleId: number, actorUserId: number | null): Promise<PublishedReport> {
    const ctx = await this.data.context(cycleId);
    const [{ next }] = await this.dataSource.query(
      `SELECT COALESCE(max(version), 0) + 1 AS next FROM published_reports WHERE cycle_id = $1 AND tenant_id = app_tenant()`,
      [cycleId],
    );
    const page = new Collector();
    await this.html.write(ctx, page, { published: true, acceptedOnly: true, version: next });
    const csv = new Collector();
    await this.csv.writePublished(cycleId, csv);
    const summary = await this.summaryJson(cycleId);
    const snapshot = await this.snapshot(ctx);
    // One statement: the publication, its snapshot's head and each item's rows (what an item's page reads) are written together or not at all.
    const [row] = await this.dataSource.query(
      `WITH r AS (
         INSERT INTO published_reports (cycle_id, version, published_at, published_by, html, csv, summary, snapshot)
         VALUES ($1, $2, COALESCE($8::timestamptz, now()), $3, $4, $5, $6, $7)
         RETURNING id, cycle_id, version, published_at, html, csv, summary, snapshot
       ), h AS (
         INSERT INTO published_heads (report_id, plan_id, cycle_id, version, published_at, head, entries_total, entries_reported)
         SELECT id, (snapshot->'plan'->>'id')::int, cycle_id, version, published_at, snapshot - 'entries',
                jsonb_array_length(snapshot->'entries'),
                (SELECT count(*) FROM jsonb_array_elements(snapshot->'entries') e WHERE e->>'reported' = 'true')
           FROM r
       ), i AS (
         INSERT INTO published_item_rows (item_id, report_id, rows)
         SELECT (e->>'itemId')::int, r.id, jsonb_agg(e ORDER BY ord)
           FROM r, jsonb_array_elements(r.snapshot->'entries') WITH ORDINALITY AS x(e, ord)
          WHERE e->>'itemId' IS NOT NULL
          GROUP BY r.id, (e->>'itemId')::int
       )
       SELECT version, published_at AS "publishedAt", html, csv, summary FROM r`,
      [cycleId, next, actorUserId, page.text(), csv.text(), JSON.stringify(summary), JSON.stringify(snapshot), ctx.cycle.publishedAt ?? null],
    );
    this.logger.log(`cycle ${cycleId}: publication version ${next} frozen`);
    return row;
  }

  /** The latest frozen publication, or null for a cycle never published since publications were frozen. */
  async latest(cycleId: number): Promise<PublishedReport | null> {
    const [row] = await this.dataSource.query(
      `SELECT version, published_at AS "publishedAt", html, csv, summary FROM published_reports WHERE cycle_id = $1 AND tenant_id = app_tenant() ORDER BY version DESC LIMIT 1`,
      [cycleId],
    );
    return row ?? null;
  }

  /**
   * The publication as data: every entry of the cycle in item order, the accepted ones with
   * what the public column model shows, the others as the item's identity only (not reported).
   */
  async snapshot(ctx: CycleContext): Promise<PublicSnapshot> {
    const model = await this.data.model(ctx, 'public');
    const plan = (await this.planReads.row(ctx.template.planId))!;
    const entries: SnapshotEntry[] = [];
    for await (const batch of this.data.batches(ctx.cycle.id, { acceptedOnly: false, ...rowNeeds(model), kpis: true })) {
      for (const row of batch) entries.push(snapshotEntry(model, row));
    }
    return {
      format: 1,
      plan: { id: plan.id, name: plan.name },
      template: { id: ctx.template.id, code: ctx.template.code, name: ctx.template.name, periodType: ctx.template.periodType },
      cycle: {
        id: ctx.cycle.id,
        label: ctx.cycle.label,
        periodKey: ctx.cycle.periodKey,
        periodLabel: ctx.period.label,
        shortLabel: ctx.period.shortLabel,
        periodStart: ctx.period.start,
        periodEnd: ctx.period.end,
        fiscalYear: ctx.cycle.fiscalYear,
        fiscalYearLabel: ctx.fiscalYearLabel,
      },
      scale: {
        code: ctx.scale.code,
        name: ctx.scale.name,
        options: ctx.scale.options.map(({ value, symbol, label, ordinal }) => ({ value, symbol, label, ordinal })),
      },
      fieldLabels: snapshotFieldLabels(model),
      entries,
    };
  }

  /**
   * Every publication with its data (all versions), oldest first; of one plan, or of all.
   * Publications frozen before snapshots existed are not among them.
   */
  async versions(filter: { planId?: number; cycleId?: number; latestOnly?: boolean } = {}): Promise<PublishedVersion[]> {
    const rows: PublishedVersion[] = await this.dataSource.query(
      `SELECT ${filter.latestOnly ? 'DISTINCT ON (cycle_id)' : ''} cycle_id AS "cycleId", version, published_at AS "publishedAt", snapshot
         FROM published_reports
        WHERE snapshot IS NOT NULL AND tenant_id = app_tenant()
          -- The plan from the heads' column: under row-level security the snapshot expression
          -- (not leakproof) could not use its index and detoasted every snapshot to filter it.
          AND ($1::int IS NULL OR id IN (SELECT report_id FROM published_heads WHERE plan_id = $1))
          AND ($2::int IS NULL OR cycle_id = $2)
        ORDER BY ${filter.latestOnly ? 'cycle_id, version DESC' : 'published_at, cycle_id, version'}`,
      [filter.planId ?? null, filter.cycleId ?? null],
    );
    return filter.latestOnly ? rows.sort((a, b) => +new Date(a.publishedAt) - +new Date(b.publishedAt) || a.cycleId - b.cycleId) : rows;
  }

  /**
   * Whether the cycle has a public record without a snapshot: frozen before snapshots existed,
   * or published before publications were frozen. Its printable report stays public.
   */
  async hasLegacyPublication(cycleId: number): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT 1 FROM published_reports WHERE cycle_id = $1 AND tenant_id = app_tenant() LIMIT 1`, [cycleId]);
    return !!row || (await this.cycles.isPublished(cycleId));
  }

  /** The plans with a publication, by name. */
  async plans(): Promise<{ id: number; name: string }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON ((snapshot->'plan'->>'id')::int) (snapshot->'plan'->>'id')::int AS id, snapshot->'plan'->>'name' AS name
         FROM published_reports WHERE snapshot IS NOT NULL AND tenant_id = app_tenant()
        ORDER BY (snapshot->'plan'->>'id')::int, version DESC, id DESC`,
    );
  }

  /** The latest publication of every published cycle, heads only (the public top page's list). */
  latestHeads(): Promise<PublishedHead[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (cycle_id) cycle_id AS "cycleId", version, published_at AS "publishedAt", head AS snapshot,
              entries_total AS "entriesTotal", entries_reported AS "entriesReported"
         FROM published_heads
        ORDER BY cycle_id, version DESC`,
    );
  }

  /** The plan an item's publications belong to (null when the item was never published). */
  async planOfItem(itemId: number): Promise<number | null> {
    const [row] = await this.dataSource.query(
      `SELECT h.plan_id AS id FROM published_item_rows r JOIN published_heads h ON h.report_id = r.report_id WHERE r.item_id = $1 LIMIT 1`,
      [itemId],
    );
    return row?.id ?? null;
  }

  /**
   * The latest publication of each cycle of a plan, as versions({ planId, latestOnly }) answers
   * them, but each snapshot holding only the item's rows (none where the item was not in it):
   * read from the per-item rows, so the cost follows the item's history, not the plan's size.
   */
  async itemVersions(planId: number, itemId: number): Promise<PublishedVersion[]> {
    const rows: PublishedVersion[] = await this.dataSource.query(
      `SELECT l.cycle_id AS "cycleId", l.version, l.published_at AS "publishedAt",
              l.head || jsonb_build_object('entries', COALESCE(r.rows, '[]'::jsonb)) AS snapshot
         FROM (SELECT DISTINCT ON (cycle_id) report_id, cycle_id, version, published_at, head
                 FROM published_heads WHERE plan_id = $1 ORDER BY cycle_id, version DESC) l
         LEFT JOIN published_item_rows r ON r.report_id = l.report_id AND r.item_id = $2`,
      [planId, itemId],
    );
    return rows.sort((a, b) => +new Date(a.publishedAt) - +new Date(b.publishedAt) || a.cycleId - b.cycleId);
  }

  /**
   * A prefecture's view of its municipalities' publications of a template code (the shared
   * template's, docs/tenancy.md "Prefecture"): the latest version of each cycle, counted in SQL,
   * so what leaves the database is numbers and labels. Readable only through the policy
   * prefecture_read (the rows of tenants whose prefecture is the current tenant); the
   * prefecture's own publications are left out.
   */
  async ofMunicipalities(templateCode: string): Promise<MunicipalityPublication[]> {
    return this.dataSource.query(
      `SELECT l.tenant_id AS "tenantId", l.cycle_id AS "cycleId", l.version, l.published_at AS "publishedAt",
              l.snapshot->'template'->>'name' AS "templateName", l.snapshot->'cycle'->>'periodKey' AS "periodKey",
              l.snapshot->'cycle'->>'periodLabel' AS "periodLabel", (l.snapshot->'cycle'->>'fiscalYear')::int AS "fiscalYear",
              l.snapshot->'scale' AS scale, jsonb_array_length(l.snapshot->'entries') AS total,
              (SELECT count(*)::int FROM jsonb_array_elements(l.snapshot->'entries') e WHERE (e->>'reported')::boolean) AS reported,
              COALESCE((SELECT jsonb_object_agg(r.rating, r.n) FROM (
                 SELECT e->>'rating' AS rating, count(*)::int AS n FROM jsonb_array_elements(l.snapshot->'entries') e
                  WHERE (e->>'reported')::boolean AND e->>'rating' IS NOT NULL GROUP BY 1) r), '{}'::jsonb) AS ratings
         FROM (SELECT DISTINCT ON (tenant_id, cycle_id) tenant_id, cycle_id, version, published_at, snapshot
                 FROM published_reports
                WHERE snapshot IS NOT NULL AND snapshot->'template'->>'code' = $1 AND tenant_id <> app_tenant()
                ORDER BY tenant_id, cycle_id, version DESC) l
        ORDER BY l.tenant_id, l.snapshot->'cycle'->>'periodKey'`,
      [templateCode],
    );
  }

  /**
   * The latest publications of the current tenant's municipalities (a prefecture's public
   * index), newest first, `perMunicipality` of each: through prefecture_read, labels only.
   */
  async latestOfMunicipalities(
    perMunicipality: number,
  ): Promise<{ tenantId: number; cycleId: number; version: number; publishedAt: Date; planName: string; templateName: string; periodLabel: string }[]> {
    return this.dataSource.query(
      `SELECT "tenantId", "cycleId", version, "publishedAt", "planName", "templateName", "periodLabel" FROM (
         SELECT l.*, row_number() OVER (PARTITION BY "tenantId" ORDER BY "publishedAt" DESC, "cycleId" DESC) AS n FROM (
           SELECT DISTINCT ON (tenant_id, cycle_id) tenant_id AS "tenantId", cycle_id AS "cycleId", version, published_at AS "publishedAt",
                  snapshot->'plan'->>'name' AS "planName", snapshot->'template'->>'name' AS "templateName", snapshot->'cycle'->>'periodLabel' AS "periodLabel"
             FROM published_reports WHERE snapshot IS NOT NULL AND tenant_id <> app_tenant()
            ORDER BY tenant_id, cycle_id, version DESC) l) ranked
        WHERE n <= $1 ORDER BY "tenantId", "publishedAt" DESC`,
      [perMunicipality],
    );
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
