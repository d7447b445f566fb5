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
  const result = await page.evaluate(async (rules) => {
    const axe = (globalThis as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] });
  }, [...STRUCTURE_RULES]);
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
