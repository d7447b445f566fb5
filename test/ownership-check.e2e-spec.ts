import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { TABLE_OWNERS, createdTables, entityClasses, findForeignTables, isChecked, ownerOf } from '../scripts/ownership-check';

/** The ownership check (scripts/check-ownership.ts, issue #22): what it finds and what it lets pass. */
describe('the ownership check', () => {
  const entities = entityClasses('libs/org/src/entities/user.entity.ts', `@Entity('users')\nexport class User {}`);
  const find = (file: string, text: string) => findForeignTables(file, text, TABLE_OWNERS, entities).map((v) => `${v.line}:${v.table}:${v.owner}:${v.how}`);

  it('finds FROM, JOIN, INTO, UPDATE and DELETE FROM of a table outside its owner, with its line', () => {
    const sql = [
      'const a = `SELECT u.name',
      '  FROM entries e JOIN users u ON u.id = e.author_user_id`;',
      "const b = 'INSERT INTO sections (code) VALUES ($1)';",
      "const c = 'UPDATE departments SET head_user_id = NULL';",
      "const d = 'DELETE FROM section_names WHERE section_id = $1';",
      "const e = 'SELECT 1 FROM cycles c, cycle_templates t WHERE t.id = c.template_id';",
    ].join('\n');
    expect(find('libs/reminders/src/x.ts', sql)).toEqual([
      '2:entries:entries:sql',
      '2:users:org:sql',
      '3:sections:org:sql',
      '4:departments:org:sql',
      '5:section_names:org:sql',
      '6:cycles:cycles:sql',
      '6:cycle_templates:cycles:sql',
    ]);
  });

  it("finds another lib's entity class handed to TypeORM", () => {
    expect(entities).toEqual(new Map([['User', 'users']]));
    expect(find('libs/personnel/src/x.ts', 'const u = await em.findOne(User, { where: { id } });\nconst r = ds.getRepository(User);')).toEqual([
      '1:users:org:entity',
      '2:users:org:entity',
    ]);
  });

  it('lets pass the owner, comments, words that are not tables, and a line marked with its reason', () => {
    expect(find('libs/org/src/users.service.ts', "const q = 'SELECT * FROM users JOIN sections s ON true';")).toEqual([]);
    expect(find('libs/reminders/src/x.ts', '// reads FROM users through libs/org\nconst q = `SELECT EXTRACT(YEAR FROM c.period_start)`;')).toEqual([]);
    expect(find('libs/reminders/src/x.ts', "// ownership-check: not the table, a demo\nconst q = 'SELECT 1 FROM users';")).toEqual([]);
    expect(find('libs/org/src/x.ts', 'const u = await em.findOne(User, {});')).toEqual([]);
  });

  it('knows every lib of the owner map, applies to production code only, and reads the tables a migration creates', () => {
    expect(Object.values(TABLE_OWNERS).filter((lib) => !existsSync(join('libs', lib, 'src')))).toEqual([]);
    expect(ownerOf('libs/plan-items/src/items.service.ts')).toBe('plan-items');
    expect(ownerOf('apps/api/src/main.ts')).toBe('apps/api');
    expect(isChecked('libs/reminders/src/reminders.service.ts')).toBe(true);
    expect(isChecked('apps/worker/src/main.ts')).toBe(true);
    expect(isChecked('libs/database/src/migrations/1732000004000-reminders.ts')).toBe(false);
    expect(isChecked('libs/reminders/src/reminder-plan.spec.ts')).toBe(false);
    expect(isChecked('test/utils/factories.ts')).toBe(false);
    expect(createdTables('CREATE TABLE review_waits (id int); create table if not exists "x_y" ()')).toEqual(['review_waits', 'x_y']);
  });

  describe('the command', () => {
    // A tree of its own laid out like the repository's (libs/<lib>/src, the migrations), so nothing is planted in the checkout.
    const root = mkdtempSync(join(tmpdir(), 'ownership-check-'));
    const plant = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    const run = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'scripts/check-ownership.ts', '--root', root, ...args],
        { cwd: process.cwd() },
      ).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    beforeEach(() => {
      rmSync(join(root, 'libs'), { recursive: true, force: true });
      plant('libs/database/src/migrations/1-x.ts', 'export const up = `CREATE TABLE users (id int); CREATE TABLE published_reports (id int)`;\n');
      plant('libs/org/src/users.service.ts', "export const sql = 'SELECT email FROM users WHERE id = $1';\n");
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('passes a tree where only the owner uses its table', async () => {
      const r = await run();
      expect(r.code).toBe(0);
      expect(r.out).toContain('is in its owning lib');
    }, 60_000);

    it('fails on a planted read of users outside libs/org, naming the file, line and table', async () => {
      plant('libs/reminders/src/planted.ts', "export const planted = 'x';\nexport const sql = 'SELECT email FROM users WHERE id = $1';\n");
      const r = await run();
      expect(r.code).toBe(1);
      expect(r.out).toContain('libs/reminders/src/planted.ts:2: users (owned by libs/org)');
    }, 60_000);

    it('fails on a planted write of any other table, the ones once only warned about included', async () => {
      plant('libs/reminders/src/planted.ts', "export const sql = 'DELETE FROM published_reports WHERE id = $1';\n");
      for (const args of [[], ['--strict']]) {
        const r = await run(...args);
        expect(r.code).toBe(1);
        expect(r.out).toContain('libs/reminders/src/planted.ts:1: published_reports (owned by libs/reports)');
        expect(r.out).toContain('1 use(s) of a table outside its owning lib');
      }
    }, 60_000);

    it('fails on a table a migration creates that has no owner', async () => {
      plant('libs/database/src/migrations/2-y.ts', 'export const up = `CREATE TABLE IF NOT EXISTS orphans (id int)`;\n');
      const r = await run();
      expect(r.code).toBe(1);
      expect(r.out).toContain('table orphans has no owner in TABLE_OWNERS');
    }, 60_000);
  });
});
