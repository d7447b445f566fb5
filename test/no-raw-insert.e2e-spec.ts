import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Specs build their rows with test/utils/builder.ts, which keeps the invariants (a section's
 * name history, a user's roles and hash, an opened cycle's rules and entries); a raw INSERT in
 * a spec skips them. Raw INSERTs stay in the builder alone (test utils are checked too). The
 * allowlist holds the files that keep one on purpose, with their count: a count may only go
 * down, and no new file may join.
 */
const ALLOWED: Record<string, number> = {
  // Kept on purpose: the raw statement is what these tests are about.
  // The application role inserts an audit row with its own chain_seq and hash: the trigger overrides both.
  'test/audit-chain.e2e-spec.ts': 1,
  // Not an insert: waits in pg_stat_activity for the opening's own INSERT INTO entries, to kill the worker mid-way.
  'test/faults-worker-opening.e2e-spec.ts': 1,
  // Isolation probes: each raw INSERT is one the database must refuse (row-level security, the tenant foreign keys).
  'test/tenancy-rls.e2e-spec.ts': 4,
  // The same kind: a prefecture writing its municipality's publication, a municipality its prefecture's shared template (both refused).
  'test/prefecture.e2e-spec.ts': 2,
  // Copies the previous version's tables row for row into a database migrated to tenants (no builder row could).
  'test/tenancy-migration.e2e-spec.ts': 1,
  // Not an insert: a planted line of source the ownership check must find (it is written to a temp dir).
  'test/ownership-check.e2e-spec.ts': 1,
  // Not migrated yet: (none). Add no file here; migrate it to the builder instead.
};

const ROOT = process.cwd();
const SELF = 'test/no-raw-insert.e2e-spec.ts';
/** The one place raw INSERTs are kept (its header says which rows and why). */
const BUILDER = 'test/utils/builder.ts';
const RAW_INSERT = /\bINSERT\s+INTO\b/gi;

function specFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : specFiles(path);
    return /\.(e2e-)?spec\.ts$/.test(e.name) || dir === join('test', 'utils') ? [path] : [];
  });
}

function rawInserts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of ['test', 'libs', 'apps'].flatMap(specFiles)) {
    const name = relative(ROOT, join(ROOT, file)).split('\\').join('/');
    if (name === SELF || name === BUILDER) continue;
    const n = readFileSync(join(ROOT, file), 'utf8').match(RAW_INSERT)?.length ?? 0;
    if (n) counts[name] = n;
  }
  return counts;
}

describe('specs and test utils build their rows with the builder, not raw INSERTs', () => {
  const counts = rawInserts();

  it('no spec outside the allowlist has a raw INSERT', () => {
    const outside = Object.keys(counts).filter((f) => !(f in ALLOWED));
    expect(outside).toEqual([]);
  });

  it('no allowlisted spec has more raw INSERTs than allowed', () => {
    const over = Object.entries(counts)
      .filter(([f, n]) => n > (ALLOWED[f] ?? 0))
      .map(([f, n]) => `${f}: ${n} > ${ALLOWED[f]}`);
    expect(over).toEqual([]);
  });

  it('the allowlist is no looser than the files (lower it as they are migrated)', () => {
    const loose = Object.entries(ALLOWED)
      .filter(([f, n]) => (counts[f] ?? 0) < n)
      .map(([f, n]) => `${f}: allowed ${n}, has ${counts[f] ?? 0}`);
    expect(loose).toEqual([]);
  });
});
