import { approvalOptionsProblem, fallbackChainText, readApprovalOptions, stepPassedNote } from './approval-steps';
import { decideRecording, delegationPeriodText, delegationState, mayConfirm } from './delegation';
import { namesSelfAsEvaluator } from './evaluator-assignment';

describe('delegation maker-checker', () => {
  const planner = { id: 9, recordsForOthers: true };
  const chief = { id: 1, recordsForOthers: false };

  it('lets a principal record their own delegation at once', () => {
    expect(decideRecording(chief, 1, 2)).toEqual({ allowed: true, needsConfirmation: false });
  });

  it('lets planning record one for someone else only to a third person, and only pending confirmation', () => {
    expect(decideRecording(planner, 1, 2)).toEqual({ allowed: true, needsConfirmation: true });
    expect(decideRecording(planner, 1, 9)).toMatchObject({ allowed: false, field: 'toUserId' });
  });

  it('refuses others recording for someone else, and a delegation to oneself', () => {
    expect(decideRecording(chief, 3, 2)).toMatchObject({ allowed: false, field: 'fromUserId' });
    expect(decideRecording(chief, 1, 1)).toMatchObject({ allowed: false, field: 'toUserId' });
  });

  it('is confirmed by the principal or their superior, never by the recorder or the delegate', () => {
    const staff = { id: 1, sectionChiefIds: [2], departmentHeadId: 3, isChief: false };
    expect(mayConfirm(1, staff, 9, 4)).toBe(true);
    expect(mayConfirm(2, staff, 9, 4)).toBe(true);
    expect(mayConfirm(3, staff, 9, 4)).toBe(true);
    expect(mayConfirm(9, staff, 9, 4)).toBe(false);
    expect(mayConfirm(4, staff, 9, 4)).toBe(false);
    expect(mayConfirm(5, staff, 9, 4)).toBe(false);
    // a chief's superior is the department head, not a fellow chief
    const chiefPlace = { id: 1, sectionChiefIds: [2], departmentHeadId: 3, isChief: true };
    expect(mayConfirm(2, chiefPlace, 9, 4)).toBe(false);
    expect(mayConfirm(3, chiefPlace, 9, 4)).toBe(true);
    // the superior who recorded it cannot confirm it as well
    expect(mayConfirm(3, chiefPlace, 3, 4)).toBe(false);
  });

  it('has a state from its dates, confirmation and revocation', () => {
    const d = { startsOn: '2026-12-01', endsOn: '2026-12-04', revokedAt: null, confirmedAt: '2026-11-30' };
    expect(delegationState(d, '2026-11-30')).toBe('scheduled');
    expect(delegationState(d, '2026-12-01')).toBe('active');
    expect(delegationState(d, '2026-12-04')).toBe('active');
    expect(delegationState(d, '2026-12-05')).toBe('ended');
    expect(delegationState({ ...d, confirmedAt: null }, '2026-12-02')).toBe('pending');
    expect(delegationState({ ...d, revokedAt: '2026-12-02' }, '2026-12-02')).toBe('revoked');
  });

  it('prints the period as the inbox banner shows it', () => {
    expect(delegationPeriodText({ startsOn: '2026-12-01', endsOn: '2026-12-04' }, '2026-12-01')).toBe('12/1〜12/4');
    expect(delegationPeriodText({ startsOn: '2026-12-28', endsOn: '2027-01-05' }, '2026-12-20')).toBe('12/28〜2027/1/5');
  });

  it('refuses naming oneself evaluator, but keeps an evaluator someone else named', () => {
    expect(namesSelfAsEvaluator(9, 9, null)).toBe(true);
    expect(namesSelfAsEvaluator(9, 9, 9)).toBe(false);
    expect(namesSelfAsEvaluator(9, 4, null)).toBe(false);
    expect(namesSelfAsEvaluator(9, undefined, 3)).toBe(false);
  });
});

describe('approval options', () => {
  it('reads older rows with the defaults and refuses a chain that cannot reach planning', () => {
    const off = { enabled: false, responseRequired: false };
    expect(readApprovalOptions(undefined)).toEqual({ segregation: true, fallbackApprovers: ['department_head', 'planning'], externalReview: off });
    expect(readApprovalOptions({ segregation: false })).toEqual({
      segregation: false,
      fallbackApprovers: ['department_head', 'planning'],
      externalReview: off,
    });
    expect(approvalOptionsProblem({ segregation: true, fallbackApprovers: ['department_head'] })).toMatchObject({ field: 'approvalOptions.fallbackApprovers' });
    expect(approvalOptionsProblem({ segregation: true, fallbackApprovers: ['planning', 'planning'] })?.message).toContain('重複');
    expect(approvalOptionsProblem({ segregation: true, fallbackApprovers: ['planning'] })).toBeNull();
    expect(fallbackChainText(['department_head', 'planning'])).toBe('部長 → 企画担当');
    expect(stepPassedNote('所管課長')).toBe('所管課長の承認は作成者本人のため省略');
  });
});
