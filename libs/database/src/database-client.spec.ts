import { preparedNameOf } from './database-client';

describe('preparedNameOf', () => {
  it('names a parameterised text from its third sending on, the same name every time', () => {
    const text = 'SELECT id FROM entries WHERE id = $1 /* spec one */';
    expect(preparedNameOf(text)).toBeUndefined();
    expect(preparedNameOf(text)).toBeUndefined();
    const name = preparedNameOf(text);
    expect(name).toMatch(/^hyoka_\d+$/);
    expect(preparedNameOf(text)).toBe(name);
  });

  it('gives two texts two names', () => {
    const a = 'SELECT 1 WHERE $1::int > 0 /* spec a */';
    const b = 'SELECT 2 WHERE $1::int > 0 /* spec b */';
    for (let i = 0; i < 3; i++) {
      preparedNameOf(a);
      preparedNameOf(b);
    }
    expect(preparedNameOf(a)).not.toBe(preparedNameOf(b));
  });

  it('never names a select list with *, whose result shape follows the table', () => {
    for (const text of ['SELECT * FROM entries WHERE id = $1', 'SELECT d.*, c.label FROM delegations d, cycles c WHERE d.id = $1']) {
      for (let i = 0; i < 5; i++) expect(preparedNameOf(text)).toBeUndefined();
    }
  });

  it('names a select of the columns of a derived table (r.*), whose shape its own list fixes', () => {
    const text = 'SELECT r.*, (SELECT 1) AS x FROM (SELECT e.id, e.state FROM entries e WHERE e.id = ANY($1)) r';
    for (let i = 0; i < 2; i++) expect(preparedNameOf(text)).toBeUndefined();
    expect(preparedNameOf(text)).toMatch(/^hyoka_\d+$/);
  });

  it('never names a generated text longer than 20,000 characters', () => {
    const text = `SELECT $1::int ${' '.repeat(20_001)}`;
    for (let i = 0; i < 5; i++) expect(preparedNameOf(text)).toBeUndefined();
  });
});
