import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROLE_LABELS } from '../org/roles';
import { APPROVAL_STEP_KIND_LABELS } from '../workflow/approval-steps';
import { GLOSSARY, rejectedSynonymsIn, TERMS } from './glossary';

// jest runs from the repository root (jest.config.js rootDir).
const ROOT = process.cwd();

/** What the glossary governs: every screen (web/src), the mails (libs/reminders) and exports (libs/reports), and the API's messages. */
const SCANNED = ['web/src', 'web/index.html', 'libs', 'apps'];
/** Not ours to word: the seed reproduces the city's published reports as they were printed. */
const SKIPPED = [/^libs\/seed\//, /\.spec\.ts$/, /^libs\/domain\/src\/glossary\//, /^libs\/database\/src\/migrations\//];
const TEXT = /\.(ts|tsx|hbs|html|css)$/;
/** Written for citizens (the public site and its open data), where a staff-only rejection does not apply. */
const PUBLIC = [/^libs\/public-site\//];

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((name) => (name === 'node_modules' || name === 'dist' ? [] : files(`${path}/${name}`)));
}

describe('glossary', () => {
  it('defines each term once, with a reading and a definition, and no rejected word is another term', () => {
    const terms = GLOSSARY.map((t) => t.term);
    expect(new Set(terms).size).toBe(terms.length);
    for (const t of GLOSSARY) {
      expect(t.reading).toMatch(/^[ぁ-んー]+$/);
      expect(t.definition.length).toBeGreaterThan(10);
      for (const r of t.rejected) expect(terms).not.toContain(r.word);
      for (const r of t.rejected) expect(r.pattern.test(r.word)).toBe(true);
    }
    expect(Object.values(TERMS).sort()).toEqual([...terms].sort());
  });

  it('chooses エントリー, 確認期限 and 企画担当, and the role and step labels are the glossary words', () => {
    expect(TERMS).toMatchObject({ entry: 'エントリー', reviewDeadline: '確認期限', planning: '企画担当' });
    expect(ROLE_LABELS.planning).toBe(TERMS.planning);
    expect(APPROVAL_STEP_KIND_LABELS.planning).toBe(TERMS.planning);
  });

  it('finds the rejected uses and leaves the compounds that are other words', () => {
    expect(rejectedSynonymsIn('提出された報告が差し戻されました').map((f) => [f.word, f.use])).toEqual([['報告', 'エントリー']]);
    expect(rejectedSynonymsIn('印刷用報告書を開く')).toEqual([]);
    expect(rejectedSynonymsIn('審査期限: 令和8年12月1日').map((f) => f.use)).toEqual(['確認期限']);
    expect(rejectedSynonymsIn('なし(部長・企画課など)').map((f) => f.use)).toEqual(['企画担当']);
    expect(rejectedSynonymsIn('経営企画課の職員')).toEqual([]);
    expect(rejectedSynonymsIn('75項目中70項目は未報告です', 'public')).toEqual([]);
    expect(rejectedSynonymsIn('企画課が公表', 'public').map((f) => f.use)).toEqual(['企画担当']);
  });

  it('no screen, mail, export or API message uses a rejected word', () => {
    const found: string[] = [];
    for (const file of SCANNED.flatMap(files)) {
      const rel = relative(ROOT, join(ROOT, file));
      if (!TEXT.test(rel) || SKIPPED.some((s) => s.test(rel))) continue;
      const text = readFileSync(join(ROOT, rel), 'utf8');
      for (const hit of rejectedSynonymsIn(text, PUBLIC.some((p) => p.test(rel)) ? 'public' : 'staff')) {
        const line = text.slice(0, hit.index).split('\n').length;
        found.push(`${rel}:${line}: 「${hit.word}」→「${hit.use}」`);
      }
    }
    expect(found).toEqual([]);
  });
});
