// The check that each table is read and written only by its owning lib (issue #22; see
// scripts/ownership-check.ts). Run: npm run check:ownership [-- --strict]
// Without --strict it fails on the enforced tables (users, sections, … entries) and counts the
// others as a warning; with --strict every table counts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENFORCED_TABLES, TABLE_OWNERS, createdTables, entityClasses, findForeignTables, isChecked } from './ownership-check';

// --root <dir>: check another tree laid out like this one (the check's own test plants violations there, not here).
const rootAt = process.argv.indexOf('--root');
const root = rootAt > 0 ? process.argv[rootAt + 1] : join(__dirname, '..');
const strict = process.argv.includes('--strict');

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield relative(root, path);
  }
}

const sources = ['apps', 'libs']
  .filter((dir) => existsSync(join(root, dir)))
  .flatMap((dir) => [...files(join(root, dir))])
  .filter(isChecked);
const texts = new Map(sources.map((f) => [f, readFileSync(join(root, f), 'utf8')]));

const entities = new Map<string, string>();
for (const [file, text] of texts) for (const [cls, table] of entityClasses(file, text)) entities.set(cls, table);

const migrations = join(root, 'libs/database/src/migrations');
const unowned = [
  ...new Set((existsSync(migrations) ? readdirSync(migrations) : []).flatMap((f) => createdTables(readFileSync(join(migrations, f), 'utf8')))),
].filter((t) => !(t in TABLE_OWNERS));

const violations = [...texts].flatMap(([file, text]) => findForeignTables(file, text, TABLE_OWNERS, entities));
const failing = violations.filter((v) => strict || ENFORCED_TABLES.includes(v.table));
const warned = violations.filter((v) => !failing.includes(v));

const describe = (v: (typeof violations)[number]) =>
  `${v.file}:${v.line}: ${v.table} (owned by libs/${v.owner})${v.how === 'entity' ? ' through its entity class' : ''}`;
for (const v of failing) console.error(describe(v));
if (warned.length) {
  const byTable = new Map<string, number>();
  for (const v of warned) byTable.set(v.table, (byTable.get(v.table) ?? 0) + 1);
  console.warn(
    `warning: ${warned.length} use(s) of other tables outside their owner (fail with --strict): ` + [...byTable].map(([t, n]) => `${t} ${n}`).join(', '),
  );
  if (process.argv.includes('--list')) for (const v of warned) console.warn(`  ${describe(v)}`);
}
for (const t of unowned) console.error(`libs/database/src/migrations: table ${t} has no owner in TABLE_OWNERS (scripts/ownership-check.ts)`);
if (failing.length || unowned.length) {
  if (failing.length) console.error(`${failing.length} use(s) of a table outside its owning lib (call the owner's service instead)`);
  process.exitCode = 1;
} else {
  console.log(`every use of ${strict ? 'a table' : ENFORCED_TABLES.join(', ')} is in its owning lib (${sources.length} files checked)`);
}
