// The check that each table is read and written only by its owning lib (issue #22; see
// scripts/ownership-check.ts). Run: npm run check:ownership
// It fails on every use of a table outside its owner (`--strict`, once needed for that while the
// last uses were moved, is still accepted and changes nothing).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TABLE_OWNERS, createdTables, entityClasses, findForeignTables, isChecked } from './ownership-check';

// --root <dir>: check another tree laid out like this one (the check's own test plants violations there, not here).
const rootAt = process.argv.indexOf('--root');
const root = rootAt > 0 ? process.argv[rootAt + 1] : join(__dirname, '..');

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
const describe = (v: (typeof violations)[number]) =>
  `${v.file}:${v.line}: ${v.table} (owned by libs/${v.owner})${v.how === 'entity' ? ' through its entity class' : ''}`;
for (const v of violations) console.error(describe(v));
for (const t of unowned) console.error(`libs/database/src/migrations: table ${t} has no owner in TABLE_OWNERS (scripts/ownership-check.ts)`);
if (violations.length || unowned.length) {
  if (violations.length) console.error(`${violations.length} use(s) of a table outside its owning lib (call the owner's service instead)`);
  process.exitCode = 1;
} else {
  console.log(`every use of a table is in its owning lib (${sources.length} files checked)`);
}
