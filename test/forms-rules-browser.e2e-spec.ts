import type { Browser } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateRule } from '@app/domain';
import { normaliseFieldValue } from '../libs/domain/src/forms/field-value';
import { kpiAchievement } from '../libs/domain/src/forms/kpi';
import { contextOf, RULE_CASES } from '../libs/domain/src/forms/rule-cases.fixture';
import { KPI_CASES, NUMBER_CASES } from './browser/form-cases';
import { launchChromium } from './utils/browser';

/**
 * The form engine's rules, typed-number normalisation and KPI achievement, evaluated in Node
 * (as the API does) and in Chromium (as the entry form does) on one shared table of cases:
 * the browser runs a bundle of the same domain files, built here with Vite as the web is.
 */
describe('form rules: the same answers in the API and in the browser', () => {
  let browser: Browser;
  afterAll(() => browser?.close());

  it('evaluates every shared case identically in Chromium and in Node', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rule-check-'));
    const vite = join(process.cwd(), 'node_modules', '.bin', 'vite');
    const built = spawnSync(vite, ['build', '--config', 'test/browser/vite.config.mts', '--outDir', out], { encoding: 'utf8', timeout: 60_000 });
    expect(built.stderr).not.toMatch(/error/i);
    const code = readFileSync(join(out, 'rule-check.js'), 'utf8');
    rmSync(out, { recursive: true, force: true });

    browser = await launchChromium();
    const page = await (await browser.newContext()).newPage();
    await page.addScriptTag({ content: code });
    const inBrowser = await page.evaluate(() => (window as unknown as { RuleCheck: { run: () => unknown } }).RuleCheck.run());

    const inNode = {
      rules: RULE_CASES.map((c) => evaluateRule(c.rule, contextOf(c.context), false)),
      numbers: NUMBER_CASES.map((raw) => normaliseFieldValue({ key: 'n', label: '数値', type: 'number', scope: 'entry', decimals: 2 }, raw)),
      kpis: KPI_CASES.map(([kpi, actual]) => kpiAchievement(kpi, 2024, actual)),
    };
    expect(inBrowser).toEqual(inNode);
    // And both agree with the table's own expectations.
    expect(inNode.rules).toEqual(RULE_CASES.map((c) => c.expected));
    expect(inNode.numbers.slice(0, 4)).toEqual([{ value: 1234 }, { value: 1234.5 }, { value: -3 }, { value: 0.25 }]);
    expect(inNode.kpis.map((k) => k.achieved)).toEqual([false, true, true, false, true, true, false, null]);
  }, 60_000);
});
