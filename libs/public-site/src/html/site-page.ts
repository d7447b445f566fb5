import { escapeHtml } from '@app/reports';
import { SITE_STYLE } from './site-style';

/** What every public page says about who publishes it. */
export interface SiteInfo {
  municipalityName: string;
  /** The municipality's logo on this origin (/public/logo/…), shown beside its name; none when it has none. */
  logoUrl?: string | null;
  licenseName: string;
  licenseUrl: string;
}

export interface PageOptions {
  title: string;
  /** The answer's CSP nonce, carried by the page's one stylesheet. */
  nonce: string;
  site: SiteInfo;
  /** From the top page to this one's parent. */
  crumbs?: { href: string; label: string }[];
  /** An Atom feed of this page, announced to feed readers. */
  feed?: { href: string; title: string };
  body: string;
}

export const SITE_TITLE = '計画の進捗状況(公表)';

/** A public page: lang="ja", a skip link, header navigation, breadcrumbs, one main landmark, the licence. */
export function sitePage(o: PageOptions): string {
  const crumbs = o.crumbs?.length
    ? `<nav class="crumbs" aria-label="現在位置"><ol>${o.crumbs.map((c) => `<li><a href="${escapeHtml(c.href)}">${escapeHtml(c.label)}</a></li>`).join('')}<li aria-current="page">${escapeHtml(o.title)}</li></ol></nav>`
    : '';
  const feed = o.feed ? `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(o.feed.title)}" href="${escapeHtml(o.feed.href)}">` : '';
  return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)} | ${escapeHtml(o.site.municipalityName)} ${SITE_TITLE}</title>${feed}
<style nonce="${escapeHtml(o.nonce)}">${SITE_STYLE}</style></head><body>
<a class="skip" href="#main">本文へ移動</a>
<header class="site"><a class="name" href="/public">${o.site.logoUrl ? `<img class="logo" src="${escapeHtml(o.site.logoUrl)}" alt="">` : ''}${escapeHtml(o.site.municipalityName)} ${SITE_TITLE}</a>
<nav aria-label="サイト内"><ul><li><a href="/public">トップ</a></li><li><a href="/public/opendata">オープンデータ</a></li><li><a href="/public/accessibility">アクセシビリティ</a></li></ul></nav></header>
${crumbs}
<main id="main" tabindex="-1">
<h1>${escapeHtml(o.title)}</h1>
${o.body}
</main>
<footer class="site"><p>${escapeHtml(o.site.municipalityName)}。掲載している情報は<a href="${escapeHtml(o.site.licenseUrl)}">${escapeHtml(o.site.licenseName)}</a>の下で利用できます。公表された内容だけを掲載しています(公表後の訂正は再公表として版を改めます)。</p></footer>
</body></html>
`;
}

/** The rating as the public pages show it: the symbol and its words (never a colour alone). */
export function ratingHtml(o: { symbol: string; label: string } | null): string {
  if (!o) return '<span class="missing">評価なし</span>';
  if (o.symbol === o.label) return `<span class="sym">${escapeHtml(o.symbol)}</span>`;
  return `<span class="sym">${escapeHtml(o.symbol)}</span><span class="lbl">${escapeHtml(o.label)}</span>`;
}
