// The test command's check that no enumeration of libs/domain is re-listed by hand elsewhere
// (see scripts/vocabulary-check.ts). Run: npm run check:vocabulary
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as domain from '../libs/domain/src';
import { domainEnumerations, findRelistings, isChecked } from './vocabulary-check';

const root = join(__dirname, '..');

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield relative(root, path);
  }
}

const enumerations = domainEnumerations(domain);
const findings = ['apps', 'libs', 'config', 'web/src']
  .flatMap((dir) => [...files(join(root, dir))])
  .filter(isChecked)
  .flatMap((file) => findRelistings(file, readFileSync(join(root, file), 'utf8'), enumerations));
for (const f of findings)
  console.error(`${f.file}:${f.line}: ${f.list.map((w) => `'${w}'`).join(', ')} re-lists ${f.enumeration} (import it from libs/domain)`);
if (findings.length) {
  console.error(`${findings.length} hand-written list(s) of the domain's words outside libs/domain`);
  process.exitCode = 1;
} else {
  console.log(`no enumeration of libs/domain (${enumerations.length} checked) is re-listed outside it`);
}
