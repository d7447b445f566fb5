import ts from 'typescript';

/*
 * Each table has one owning lib (issue #22): only its code reads or writes the table; the others
 * call the owner's service. This is the one map of who owns what, kept here rather than spread
 * over the libs so that it is read without loading them and reviewed in one diff, and so that the
 * check can say when a migration creates a table nobody owns. The libs' READMEs say the same in
 * words ("Owns the tables …").
 */
export const TABLE_OWNERS: Readonly<Record<string, string>> = {
  // The municipalities themselves: libs/database (TenantsService) owns them with the tenant context.
  tenants: 'database',
  departments: 'org',
  sections: 'org',
  section_names: 'org',
  department_names: 'org',
  users: 'org',
  sessions: 'auth',
  entries: 'entries',
  entry_versions: 'entries',
  scope_values: 'entries',
  cycles: 'cycles',
  cycle_templates: 'cycles',
  rating_scales: 'cycles',
  plans: 'plan-items',
  plan_items: 'plan-items',
  plan_item_kpis: 'plan-items',
  plan_item_sections: 'plan-items',
  delegations: 'approvals',
  co_approvals: 'approvals',
  external_reviewers: 'approvals',
  recommendations: 'approvals',
  recommendation_responses: 'approvals',
  reminder_mails: 'reminders',
  reminder_slots: 'reminders',
  notification_settings: 'reminders',
  review_waits: 'reminders',
  personnel_transfers: 'personnel',
  personnel_transfer_rows: 'personnel',
  org_reforms: 'personnel',
  audit_log: 'audit',
  audit_chain_head: 'audit',
  published_reports: 'reports',
  published_heads: 'reports',
  published_item_rows: 'reports',
  shared_templates: 'prefecture',
};

export interface Violation {
  file: string;
  line: number;
  table: string;
  owner: string;
  /** `sql` (a FROM/JOIN/INTO/UPDATE/DELETE FROM in a string) or `entity` (another lib's TypeORM entity class). */
  how: 'sql' | 'entity';
}

/** The lib a source file belongs to (`libs/org/src/x.ts` → `org`), or `apps/<name>` for the apps. */
export function ownerOf(path: string): string {
  const m = /^(libs|apps)\/([^/]+)\//.exec(path);
  if (!m) return path;
  return m[1] === 'libs' ? m[2] : `apps/${m[2]}`;
}

/** Where the rule applies: production code of libs and apps, not migrations, specs or declarations. */
export function isChecked(path: string): boolean {
  if (!/\.(ts|tsx)$/.test(path) || /\.(spec|e2e-spec)\.ts$/.test(path) || path.endsWith('.d.ts')) return false;
  if (!/^(libs|apps)\/[^/]+\/src\//.test(path)) return false;
  return !path.startsWith('libs/database/src/migrations/');
}

const IDENT = '"?([a-z_][a-z0-9_]*)"?';
// A table after FROM/JOIN/INTO/UPDATE/DELETE FROM, with the comma-separated ones of an old-style FROM list.
const TABLE_REF = new RegExp(
  `\\b(?:from|join|into|update|delete\\s+from)\\s+(?:only\\s+)?${IDENT}((?:\\s+(?:as\\s+)?[a-z_][a-z0-9_]*)?(?:\\s*,\\s*${IDENT}(?:\\s+(?:as\\s+)?[a-z_][a-z0-9_]*)?)*)`,
  'gi',
);
const LIST_MEMBER = new RegExp(`,\\s*${IDENT}`, 'gi');
// TypeORM calls that take an entity class first: em.find(User, …), getRepository(Section), @InjectRepository(Entry).
const ENTITY_CALLS =
  /^(getRepository|InjectRepository|find|findOne|findBy|findOneBy|findOneOrFail|findOneByOrFail|findAndCount|findAndCountBy|count|countBy|exists|existsBy|save|insert|update|upsert|delete|remove|softDelete|increment|decrement|createQueryBuilder|preload|create|merge|sum|average|minimum|maximum)$/;

/** Entity classes declared with `@Entity('table')` in one file: class name → table. */
export function entityClasses(file: string, text: string): Map<string, string> {
  const found = new Map<string, string>();
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    for (const d of ts.getDecorators(statement) ?? []) {
      const call = d.expression;
      if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'Entity') {
        const arg = call.arguments[0];
        if (arg && ts.isStringLiteral(arg)) found.set(statement.name.text, arg.text);
      }
    }
  }
  return found;
}

/**
 * Every use in one source file of a table its lib does not own. A line that must keep one says why
 * on the line above or at its end: `// ownership-check: not <why>` (like the vocabulary check).
 */
export function findForeignTables(
  file: string,
  text: string,
  owners: Readonly<Record<string, string>> = TABLE_OWNERS,
  entities: ReadonlyMap<string, string> = new Map(),
): Violation[] {
  const lib = ownerOf(file);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lines = text.split('\n');
  const found: Violation[] = [];
  const seen = new Set<string>();
  const report = (position: number, table: string, how: Violation['how']) => {
    const owner = owners[table];
    if (!owner || owner === lib) return;
    const line = source.getLineAndCharacterOfPosition(position).line + 1;
    if ([lines[line - 2], lines[line - 1]].some((l) => /ownership-check: not /.test(l ?? ''))) return;
    const key = `${line}:${table}:${how}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ file, line, table, owner, how });
  };
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const start = node.getStart(source) + 1;
      for (const m of node.text.matchAll(TABLE_REF)) {
        const at = start + (m.index ?? 0);
        report(at, m[1].toLowerCase(), 'sql');
        for (const more of (m[2] ?? '').matchAll(LIST_MEMBER)) report(at, more[1].toLowerCase(), 'sql');
      }
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      const first = node.arguments[0];
      if (ENTITY_CALLS.test(name) && ts.isIdentifier(first) && entities.has(first.text)) {
        report(first.getStart(source), entities.get(first.text)!, 'entity');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The tables the migrations create, so that a new one without an owner is noticed. */
export function createdTables(migrationText: string): string[] {
  return [...migrationText.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?"?([a-z_][a-z0-9_]*)"?/gi)].map((m) => m[1].toLowerCase());
}
