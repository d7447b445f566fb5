import ts from 'typescript';

/*
 * The domain's words are defined once, in libs/domain (entry and cycle states and actions,
 * roles, step kinds, period types, field types, mail statuses...). This finds where code
 * outside it lists them again by hand: a string-literal union ('draft' | 'open'), an array of
 * string literals (['pending', 'sent']) or an SQL IN-list (status IN ('pending', 'sent')) whose
 * every member is a word of one domain enumeration. Such a list must be imported instead (the
 * enumeration itself, or a group the domain derives from its transition tables). A list that
 * only shares words with the domain says so on the line above: `// vocabulary-check: not <why>`.
 */

export interface Enumeration {
  name: string;
  values: readonly string[];
}

export interface Finding {
  file: string;
  line: number;
  list: string[];
  enumeration: string;
}

const WORD = /^[a-z][a-zA-Z0-9_]*$/;

/** The enumerations of the domain's exports: every array of two or more identifiers (`in_review`, `fiscalGoal`). */
export function domainEnumerations(exports: Record<string, unknown>): Enumeration[] {
  return Object.entries(exports)
    .filter(([, v]) => Array.isArray(v) && v.length >= 2 && v.every((x) => typeof x === 'string' && WORD.test(x)))
    .map(([name, values]) => ({ name, values: values as string[] }));
}

const SQL_IN_LIST = /\(\s*('[a-z][a-z0-9_]*'\s*,\s*)+'[a-z][a-z0-9_]*'\s*\)/g;

/** Every hand-written list in one source file that re-lists a domain enumeration (or part of one). */
export function findRelistings(file: string, text: string, enumerations: readonly Enumeration[]): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const lines = text.split('\n');
  const report = (node: ts.Node, list: string[], offset = 0) => {
    if (list.length < 2 || new Set(list).size < 2) return;
    // The smallest enumeration holding every member names the finding best ('open' is a state and an action).
    const owner = enumerations.filter((e) => list.every((w) => e.values.includes(w))).sort((a, b) => a.values.length - b.values.length)[0];
    if (!owner) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source) + offset).line + 1;
    if (/vocabulary-check: not /.test(lines[line - 2] ?? '') || /vocabulary-check: not /.test(lines[line - 1] ?? '')) return;
    findings.push({ file, line, list, enumeration: owner.name });
  };
  const visit = (node: ts.Node) => {
    if (ts.isUnionTypeNode(node)) {
      const words = node.types.map((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : null));
      if (words.every((w): w is string => w !== null)) report(node, words);
    } else if (ts.isArrayLiteralExpression(node)) {
      const words = node.elements.map((e) => (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) ? e.text : null));
      if (words.every((w): w is string => w !== null)) report(node, words);
    }
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      for (const match of node.text.matchAll(SQL_IN_LIST)) {
        report(
          node,
          [...match[0].matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1]),
          1 + (match.index ?? 0),
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** Where the rule applies: production code outside the domain, its migrations and generated files. */
export function isChecked(path: string): boolean {
  if (!/\.(ts|tsx|mts)$/.test(path) || /\.(spec|e2e-spec)\.ts$/.test(path) || path.endsWith('.d.ts')) return false;
  if (!/^(apps|libs|config|web\/src)\//.test(path)) return false;
  return !path.startsWith('libs/domain/') && !path.startsWith('libs/database/src/migrations/') && path !== 'web/src/api-types.gen.ts';
}
