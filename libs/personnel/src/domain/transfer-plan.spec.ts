import { DEFAULT_APPROVAL_OPTIONS } from '@app/domain';
import { indexSnapshot, OrgSnapshot, readDate, readTransferFile } from './transfer-file';
import { approverChanges, planTransfer } from './transfer-plan';

const snap: OrgSnapshot = {
  users: [
    { id: 1, login: 'chief-a', staffNumber: 'C1', name: '課長A', sectionId: 10, roles: ['chief'], active: true },
    { id: 2, login: 'chief-b', staffNumber: 'C2', name: '課長B', sectionId: 20, roles: ['chief', 'planning'], active: true },
    { id: 3, login: 'staff-a', staffNumber: 'S1', name: '職員A', sectionId: 10, roles: ['staff'], active: true },
    { id: 4, login: 'head', staffNumber: null, name: '部長', sectionId: null, roles: ['evaluator'], active: true },
  ],
  sections: [
    { id: 10, code: 'a', name: 'A課', departmentId: 100, active: true },
    { id: 20, code: 'b', name: 'B課', departmentId: 100, active: true },
  ],
  departments: [{ id: 100, code: 'd', name: 'D部', headUserId: 4 }],
};
const H = ['ログインID', '職員番号', '氏名', '新所属', '新職', '発令日'];

describe('transfer file and plan (人事異動, pure)', () => {
  it('reads the dates personnel files use', () => {
    expect(readDate('2027-04-01')).toBe('2027-04-01');
    expect(readDate('2027/4/1')).toBe('2027-04-01');
    expect(readDate('令和9年4月1日')).toBe('2027-04-01');
    expect(readDate('R9.4.1')).toBe('2027-04-01');
    expect(readDate('令和元年5月1日')).toBe('2019-05-01');
    expect(readDate('2027-02-30')).toBeNull();
    expect(readDate('来年')).toBeNull();
  });

  it('swaps two chiefs: each is the other one’s successor, planning rights kept', () => {
    const { rows, reports } = readTransferFile([H, ['chief-a', '', '', 'B課', '課長', '2027-04-01'], ['', 'C2', '課長B', 'a', '課長', '2027-04-01']], snap);
    expect(reports.flatMap((r) => r.errors)).toEqual([]);
    const plan = planTransfer(indexSnapshot(snap), rows);
    expect(plan.successors).toEqual(
      new Map([
        [1, 2],
        [2, 1],
      ]),
    );
    expect(plan.moves.find((m) => m.userId === 2)!.roles).toEqual(['planning', 'chief']);
  });

  it('finds the step a move leaves without approver', () => {
    const { rows } = readTransferFile([H, ['chief-a', '', '', 'b', '担当', '2027-04-01']], snap);
    const plan = planTransfer(indexSnapshot(snap), rows);
    const entry = {
      entryId: 7,
      cycleId: 1,
      state: 'submitted' as const,
      currentStep: 0,
      route: [{ kind: 'section_chief' as const, label: '所管課長' }],
      sectionId: 10,
      evaluatorUserId: null,
      departmentHeadUserId: 4,
      editorIds: [3],
      approverIds: [],
      options: DEFAULT_APPROVAL_OPTIONS,
    };
    const changes = approverChanges([entry], snap.users, plan, () => 100);
    expect(changes).toEqual([{ entryId: 7, cycleId: 1, stepLabel: '所管課長', sectionId: 10, before: [1], after: [] }]);
  });

  it('gives a new 部長 the department and leaves the old one without it', () => {
    const { rows } = readTransferFile([H, ['staff-a', '', '', 'D部', '部長', '2027-04-01'], ['head', '', '', 'a', '参事', '2027-04-01']], snap);
    const plan = planTransfer(indexSnapshot(snap), rows);
    expect(plan.heads).toEqual(new Map([[100, 3]]));
    expect(plan.successors.get(4)).toBe(3);
  });
});
