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
