import { ACCESSIBILITY_CHECK, CHECKED_STAFF_PAGES, checkedPageResults } from './checked-pages';

describe('checked staff pages', () => {
  it('lists each state once, with a screen, a state and a route', () => {
    const ids = CHECKED_STAFF_PAGES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of CHECKED_STAFF_PAGES) {
      expect(p.page).not.toBe('');
      expect(p.state).not.toBe('');
      expect(p.path).toMatch(/^\//);
    }
  });

  it('gives the statement one row per state with the tool, the date and 0 violations', () => {
    const rows = checkedPageResults();
    expect(rows).toHaveLength(CHECKED_STAFF_PAGES.length);
    expect(rows[0]).toMatchObject({ id: 'login', tool: `axe-core ${ACCESSIBILITY_CHECK.toolVersion}(Chromium)`, violations: 0 });
    expect(ACCESSIBILITY_CHECK.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
