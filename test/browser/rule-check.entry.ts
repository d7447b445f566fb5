// Bundled for Chromium by test/forms-rules-browser.e2e-spec.ts: the domain's own rule code and
// the shared table of cases, exactly as the web bundle imports them.
import { evaluateRule } from '../../libs/domain/src/forms/form-rule';
import { normaliseFieldValue } from '../../libs/domain/src/forms/field-value';
import { kpiAchievement } from '../../libs/domain/src/forms/kpi';
import { contextOf, RULE_CASES } from '../../libs/domain/src/forms/rule-cases.fixture';
import { KPI_CASES, NUMBER_CASES } from './form-cases';

export function run() {
  return {
    rules: RULE_CASES.map((c) => evaluateRule(c.rule, contextOf(c.context), false)),
    numbers: NUMBER_CASES.map((raw) => normaliseFieldValue({ key: 'n', label: '数値', type: 'number', scope: 'entry', decimals: 2 }, raw)),
    kpis: KPI_CASES.map(([kpi, actual]) => kpiAchievement(kpi, 2024, actual)),
  };
}
