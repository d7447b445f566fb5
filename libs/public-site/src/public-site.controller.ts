import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/auth';
import { feedEvents, FeedEvent } from './domain/feed-events';
import { textPage } from './domain/item-history';
import { accessibilityBody } from './html/accessibility-page';
import { openDataBody } from './html/opendata-page';
import { openDataCatalog, openDataCsv, openDataJson } from './opendata/open-data';
import { cycleBody } from './html/cycle-page';
import { atomFeed } from './html/feed';
import { indexBody } from './html/index-page';
import { itemBody } from './html/item-page';
import { municipalitiesBody } from './html/municipalities-page';
import { notFoundBody } from './html/not-found-page';
import { planBody } from './html/plan-page';
import { sitePage } from './html/site-page';
import { PublicSiteService } from './public-site.service';

/** A path id: digits only; anything else is a page that does not exist (404), not a 400. */
function idOf(text: string): number | null {
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

/**
 * The public site under /public, without login, in Japanese, server-rendered (no script): the
 * index of plans and published cycles, each plan's matrix, each item's history, each cycle's
 * publication, Atom feeds. Everything comes from frozen publications (PublicSiteService).
 */
@ApiExcludeController()
@Public()
@Controller('public')
export class PublicSiteController {
  constructor(private readonly site: PublicSiteService) {}

  @Get()
  async index(@Res() res: Response) {
    this.html(res, '公表済みの計画', indexBody(await this.site.index(), await this.site.hasMunicipalities()));
  }

  /** A prefecture's index of its municipalities (404 for a tenant with none). */
  @Get('municipalities')
  async municipalities(@Res() res: Response) {
    const listed = await this.site.municipalities();
    if (!listed) return this.notFound(res);
    this.html(res, '管内市区町村の公表状況', municipalitiesBody(this.site.site().municipalityName, listed));
  }

  @Get('plans/:id')
  async plan(@Param('id') raw: string, @Res() res: Response) {
    const id = idOf(raw);
    const plan = id === null ? null : await this.site.plan(id);
    if (!plan) return this.notFound(res);
    this.html(res, plan.name, planBody(plan.id, plan.matrix), { feed: { href: `/public/plans/${plan.id}/feed.atom`, title: `${plan.name}の更新情報` } });
  }

  @Get('cycles/:id')
  async cycle(@Param('id') raw: string, @Res() res: Response) {
    const id = idOf(raw);
    const found = id === null ? null : await this.site.cycle(id);
    if (!found && id !== null && (await this.site.legacyCycle(id))) return res.redirect(302, `/public/cycles/${id}/report.html`);
    if (!found) return this.notFound(res);
    const s = found.latest.snapshot;
    this.html(res, `${s.template.name} ${s.cycle.periodLabel} 取組状況`, cycleBody(found.latest, found.versions), {
      crumbs: [{ href: `/public/plans/${s.plan.id}`, label: s.plan.name }],
      feed: { href: `/public/plans/${s.plan.id}/feed.atom`, title: `${s.plan.name}の更新情報` },
    });
  }

  @Get('items/:id')
  async item(@Param('id') raw: string, @Query('page') rawPage: string | undefined, @Res() res: Response) {
    const id = idOf(raw);
    // ?page=N: older periods' texts; a page that is not a number or past the last does not exist.
    const page = rawPage === undefined ? 1 : idOf(rawPage);
    const item = id === null || page === null ? null : await this.site.item(id);
    const texts = item ? textPage(item.periods, page!) : null;
    if (!item || !texts) return this.notFound(res);
    const planName = item.periods[item.periods.length - 1].version.snapshot.plan.name;
    this.html(res, `${item.newest.number} ${item.newest.title}`, itemBody(item.itemId, item.newest, item.periods, item.kpis, texts), {
      crumbs: [{ href: `/public/plans/${item.planId}`, label: planName }],
      feed: { href: `/public/items/${item.itemId}/feed.atom`, title: `${item.newest.title}の更新情報` },
    });
  }

  @Get('plans/:id/feed.atom')
  async planFeed(@Param('id') raw: string, @Res() res: Response) {
    const id = idOf(raw);
    const versions = id === null ? [] : await this.site.planVersions(id);
    if (versions.length === 0) return this.notFound(res);
    const name = versions[versions.length - 1].snapshot.plan.name;
    this.atom(res, `plan-${id}`, `${name}の更新情報`, `/public/plans/${id}`, `/public/plans/${id}/feed.atom`, feedEvents(versions));
  }

  @Get('items/:id/feed.atom')
  async itemFeed(@Param('id') raw: string, @Res() res: Response) {
    const id = idOf(raw);
    const item = id === null ? null : await this.site.item(id);
    if (!item) return this.notFound(res);
    const events = feedEvents(await this.site.planVersions(item.planId), item.itemId);
    this.atom(
      res,
      `item-${item.itemId}`,
      `${item.newest.number} ${item.newest.title}の更新情報`,
      `/public/items/${item.itemId}`,
      `/public/items/${item.itemId}/feed.atom`,
      events,
    );
  }

  @Get('opendata')
  async openData(@Res() res: Response) {
    this.html(res, 'オープンデータ', openDataBody(this.site.site(), await this.site.index()));
  }

  @Get('opendata/catalog.json')
  async openDataCatalog(@Res() res: Response) {
    const site = this.site.site();
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/json; charset=utf-8').send(JSON.stringify(openDataCatalog(await this.site.index(), site, site.publicUrl), null, 1));
  }

  @Get('accessibility')
  accessibility(@Res() res: Response) {
    this.html(res, 'アクセシビリティ方針と試験結果', accessibilityBody(this.site.site().municipalityName));
  }

  @Get('cycles/:id/opendata.csv')
  async openDataCsv(@Param('id') raw: string, @Res() res: Response) {
    const id = idOf(raw);
    const found = id === null ? null : await this.site.cycle(id);
    if (!found) return this.notFound(res);
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Content-Disposition', `attachment; filename="opendata-cycle-${id}.csv"`);
    res.type('text/csv; charset=utf-8').send(openDataCsv(found.latest, this.site.site()));
  }

  @Get('cycles/:id/opendata.json')
  async openDataJson(@Param('id') raw: string, @Res() res: Response) {
    const id = idOf(raw);
    const found = id === null ? null : await this.site.cycle(id);
    if (!found) return this.notFound(res);
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/json; charset=utf-8').send(JSON.stringify(openDataJson(found.latest, this.site.site()), null, 1));
  }

  /** Every other address under /public: a Japanese 404 page, not the api's English JSON. */
  @Get('*path')
  unknown(@Res() res: Response) {
    this.notFound(res);
  }

  private html(res: Response, title: string, body: string, extra: { crumbs?: { href: string; label: string }[]; feed?: { href: string; title: string } } = {}) {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('html').send(sitePage({ title, body, nonce: res.locals.cspNonce, site: this.site.site(), ...extra }));
  }

  private notFound(res: Response) {
    res.status(404).setHeader('Cache-Control', 'no-cache');
    res.type('html').send(sitePage({ title: 'ページが見つかりません', body: notFoundBody(), nonce: res.locals.cspNonce, site: this.site.site() }));
  }

  private atom(res: Response, key: string, title: string, path: string, self: string, events: FeedEvent[]) {
    const site = this.site.site();
    const host = new URL(site.publicUrl).hostname;
    const id = `tag:${host},2026:${site.municipalityCode}:${key}`;
    const xml = atomFeed({
      id,
      title: `${site.municipalityName} ${title}`,
      link: `${site.publicUrl}${path}`,
      self: `${site.publicUrl}${self}`,
      site,
      events,
      entryLink: (e) => `${site.publicUrl}${e.itemId !== null ? `/public/items/${e.itemId}` : `/public/cycles/${e.cycleId}`}`,
    });
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/atom+xml; charset=utf-8').send(xml);
  }
}
