import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** One axe-core finding, reduced to what a failing assertion should print. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

let source: string | undefined;

/**
 * Runs axe-core inside the page against the JIS X 8341-3:2016 AA rule set (= WCAG 2.1 A and AA)
 * and returns its violations; a test expects `[]`. The script is injected as text so a page's
 * CSP (script-src 'self') does not block it: playwright's evaluate runs outside the page's CSP.
 */
export async function axeViolations(page: Page, context?: string): Promise<AxeViolation[]> {
  source ??= readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(source);
  const result = await page.evaluate(async (selector) => {
    const axe = (globalThis as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    return axe.run(selector ?? document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
  }, context ?? null);
  return (result.violations as Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>).map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}

/**
 * axe-core's structure rules outside the WCAG tags (best practice), which the issue asks for
 * on every page all the same: one `main` landmark, all content inside landmarks, one h1,
 * headings in order, distinct landmark names.
 */
export const STRUCTURE_RULES = [
  'landmark-one-main',
  'landmark-no-duplicate-main',
  'landmark-unique',
  'region',
  'page-has-heading-one',
  'heading-order',
  'empty-heading',
  'empty-table-header',
] as const;

export async function axeStructureViolations(page: Page): Promise<AxeViolation[]> {
  source ??= readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(source);
  const result = await page.evaluate(
    async (rules) => {
      const axe = (globalThis as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
      return axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] });
    },
    [...STRUCTURE_RULES],
  );
  return (result.violations as Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>).map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}

/** Nodes whose contrast axe could not decide (overlaps, pseudo-elements): for a person to look at. */
export async function axeContrastUndecided(page: Page): Promise<string[]> {
  source ??= readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(source);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ incomplete: unknown[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] }, resultTypes: ['incomplete'] });
  });
  return (result.incomplete as Array<{ nodes: Array<{ target: string[]; any: Array<{ message: string }> }> }>).flatMap((v) =>
    v.nodes.map((n) => `${n.target.join(' ')}: ${n.any[0]?.message ?? ''}`),
  );
}

/**
 * axe-core leaves the contrast of symbol-only text undecided (☆○△×◎, a lone A–D), yet those
 * symbols are the ratings themselves: this measures each one (its colour, with opacity, on the
 * first opaque background behind it) and returns those under 4.5:1.
 */
export async function symbolContrastProblems(page: Page, minimum = 4.5): Promise<string[]> {
  return page.evaluate((min) => {
    const parse = (c: string): [number, number, number, number] => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const [r, g, b, a = '1'] = m[1].split(/[,\s/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    };
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el: Element): number[] => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] >= 0.99) return c;
      }
      return [255, 255, 255, 1];
    };
    const problems: string[] = [];
    const symbolOnly = /^[\s☆★○◎●△▲×✕·—\-A-D]{1,3}$/u;
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const own = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (!own || !symbolOnly.test(own)) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      let opacity = 1;
      for (let e: Element | null = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      const bg = background(el);
      const fg = parse(style.color);
      const alpha = fg[3] * opacity;
      const mixed = [0, 1, 2].map((i) => fg[i] * alpha + bg[i] * (1 - alpha));
      const [l1, l2] = [lum(mixed), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      if (ratio < min) problems.push(`${el.tagName.toLowerCase()}.${el.className} "${own}": ${ratio.toFixed(2)}:1`);
    }
    return problems;
  }, minimum);
}

/**
 * Everything the accessibility suites require of a staff page state, as findings (`[]` passes):
 * axe's WCAG 2.1 A/AA rules, the landmark and heading rules, rating symbols at 4.5:1 (axe skips
 * symbol-only text) and a title naming the page after its h1 (WCAG 2.4.2).
 */
export async function staffPageFindings(page: Page): Promise<AxeViolation[]> {
  // Let transitions and late renders settle, so contrast is measured on the final colours.
  await page.waitForTimeout(150);
  const symbols = await symbolContrastProblems(page);
  const symbolFinding: AxeViolation[] = symbols.length
    ? [{ id: 'symbol-contrast', impact: 'serious', help: 'Rating symbols must have a contrast of 4.5:1', nodes: symbols }]
    : [];
  const titles = await page.evaluate(() => ({
    title: document.title,
    h1: document.querySelector('#main h1')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
  }));
  const titleFinding: AxeViolation[] =
    titles.h1 !== null && titles.title !== `${titles.h1} | 評価サイクル`
      ? [{ id: 'page-title', impact: 'serious', help: 'The title must name the page', nodes: [`${titles.title} (h1: ${titles.h1})`] }]
      : [];
  return [...(await axeViolations(page)), ...(await axeStructureViolations(page)), ...symbolFinding, ...titleFinding];
}
