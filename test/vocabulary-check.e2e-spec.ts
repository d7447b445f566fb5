import * as domain from '@app/domain';
import { domainEnumerations, findRelistings, isChecked } from '../scripts/vocabulary-check';

/** The test command's vocabulary check (scripts/check-vocabulary.ts): what it finds and what it lets pass. */
describe('the vocabulary check', () => {
  const enumerations = domainEnumerations(domain);
  const find = (text: string) => findRelistings('libs/x/src/x.ts', text, enumerations).map((f) => `${f.line}:${f.enumeration}:${f.list.join(',')}`);

  it("reads the domain's enumerations and its derived state groups", () => {
    const names = enumerations.map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'ENTRY_STATES',
        'CYCLE_ACTIONS',
        'ROLES',
        'APPROVAL_STEP_KINDS',
        'PERIOD_TYPES',
        'FIELD_TYPES',
        'MAIL_STATUSES',
        'BUILTIN_ENTRY_KEYS',
      ]),
    );
    // The 承認待ち group is the transition table's: the states an approval starts from.
    expect(domain.ENTRY_STATES_AWAITING_APPROVAL).toEqual(['submitted', 'in_review']);
    expect(domain.ENTRY_STATES_TO_SUBMIT).toEqual(['not_started', 'draft', 'returned']);
    expect(domain.ENTRY_STATES_NOT_SUBMITTED).toEqual(['not_started', 'draft', 'returned', 'not_submitted']);
    expect(domain.ENTRY_STATES_SUBMITTED).toEqual(['submitted', 'in_review', 'accepted', 'not_approved']);
    expect([...domain.ENTRY_STATES_BY_PROGRESS].sort()).toEqual([...domain.ENTRY_STATES].sort());
  });

  it('finds a union, an array and an SQL IN-list of domain words, naming the smallest enumeration holding them', () => {
    expect(find(`type Pending = 'submitted' | 'in_review';`)).toEqual(['1:ENTRY_STATES_AWAITING_APPROVAL:submitted,in_review']);
    expect(find(`const roles = ['planning', 'admin'];`)).toEqual(['1:ROLES:planning,admin']);
    expect(find(`type TextKey = 'progress' | 'nextSteps';`)).toEqual(['1:BUILTIN_ENTRY_KEYS:progress,nextSteps']);
    expect(find(`class D {\n  @IsIn(['open', 'close', 'force_close', 'publish', 'reopen']) action: string;\n}`)).toEqual([
      '2:CYCLE_ACTIONS:open,close,force_close,publish,reopen',
    ]);
    expect(find("const sql = `SELECT 1\n  FROM mails WHERE status IN ('pending', 'sent')`;")).toEqual(['2:MAIL_STATUSES:pending,sent']);
  });

  it('lets pass single words, lists of other words, mixed lists, and a list marked as not the domain’s', () => {
    expect(find(`if (state === 'accepted') x(); const t: 'draft' = 'draft';`)).toEqual([]);
    expect(find(`type Align = 'left' | 'right'; const cols = ['id', 'name'];`)).toEqual([]);
    expect(find(`const mixed = ['draft', 'left']; type U = 'open' | number;`)).toEqual([]);
    expect(find(`// vocabulary-check: not FIELD_SCOPES, a sort order\ntype RowOrder = 'item' | 'department';`)).toEqual([]);
    expect(find(`const words = sqlWords(ENTRY_STATES_AWAITING_APPROVAL);`)).toEqual([]);
  });

  it('applies to production code outside libs/domain, its migrations, specs and generated files', () => {
    expect(isChecked('libs/reminders/src/reminders.service.ts')).toBe(true);
    expect(isChecked('web/src/pages/users.tsx')).toBe(true);
    expect(isChecked('apps/worker/src/main.ts')).toBe(true);
    expect(isChecked('libs/domain/src/workflow/entry-state.ts')).toBe(false);
    expect(isChecked('libs/database/src/migrations/1732000004000-reminders.ts')).toBe(false);
    expect(isChecked('libs/reminders/src/reminder-plan.spec.ts')).toBe(false);
    expect(isChecked('web/src/api-types.gen.ts')).toBe(false);
    expect(isChecked('test/utils/factories.ts')).toBe(false);
  });
});
