import { ACCESSIBILITY_CHECK, CHECKED_PUBLIC_PAGES, CHECKED_STAFF_PAGES, checkedPageResults } from './checked-pages';

describe('checked pages', () => {
  it('lists each state once, with a screen, a state and an address', () => {
    const all = [...CHECKED_PUBLIC_PAGES, ...CHECKED_STAFF_PAGES];
    const ids = all.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of all) {
      expect(p.page).not.toBe('');
      expect(p.state).not.toBe('');
      expect(p.path).toMatch(/^\//);
    }
    for (const p of CHECKED_PUBLIC_PAGES) expect(p.path).toMatch(/^\/public(\/|$)/);
  });

  it('gives the statement one row per state, public pages first, with the tool, the date and 0 violations', () => {
    const rows = checkedPageResults();
    expect(rows).toHaveLength(CHECKED_PUBLIC_PAGES.length + CHECKED_STAFF_PAGES.length);
    expect(rows[0]).toMatchObject({ id: 'public-index', area: 'public' });
    expect(rows[CHECKED_PUBLIC_PAGES.length]).toMatchObject({
      id: 'login',
      area: 'staff',
      tool: `axe-core ${ACCESSIBILITY_CHECK.toolVersion}(Chromium)`,
      violations: 0,
    });
    expect(ACCESSIBILITY_CHECK.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
