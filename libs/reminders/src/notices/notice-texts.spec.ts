import { cycleRequestNotice, stuckEntriesNotice, stuckReason } from './notice-texts';

const work = [{ itemLabel: 'No.1', title: '18歳までの医療費完全無料化', detail: '未着手', url: 'https://hyoka.example.jp/#/entries/1' }];

describe('依頼', () => {
  it('asks by the deadline, with the business days left on the day it is sent', () => {
    const n = cycleRequestNotice({ cycleLabel: '市長公約 令和8年度 下半期', sectionName: 'こども支援課', deadline: '2026-12-04', today: '2026-12-01', work });
    expect(n.subject).toBe('【依頼】市長公約 令和8年度 下半期のエントリーの入力をお願いします（1件・期限 令和8年12月4日(金)）（評価サイクル）');
    expect(n.lead).toContain('令和8年12月4日(金)までに入力して提出してください（期限まであと3営業日です）');
    expect(n.lines).toEqual([{ label: 'No.1', value: '18歳までの医療費完全無料化（未着手）', url: 'https://hyoka.example.jp/#/entries/1' }]);
  });

  it('for a cycle opened after its deadline says so, with the real count of business days', () => {
    const n = cycleRequestNotice({ cycleLabel: '市長公約 令和2年度 上半期', sectionName: 'こども支援課', deadline: '2026-11-10', today: '2026-12-01', work });
    expect(n.subject).toBe('【依頼】市長公約 令和2年度 上半期のエントリーの入力をお願いします（1件・期限 令和8年11月10日(火) 経過）（評価サイクル）');
    expect(n.lead).toContain('提出期限の令和8年11月10日(火)を過ぎてからの開始です（期限を14営業日過ぎています）');
  });
});

describe('escalation of entries nobody can approve', () => {
  const base = { stepLabel: '所管課長', sectionName: '保育幼稚園課', activeChiefs: 1, evaluatorName: '部長', evaluatorActive: true, activePlanners: 2 };
  it('says why, per case', () => {
    expect(stuckReason({ ...base, stepKind: 'section_chief', activeChiefs: 0 })).toBe('所管課長が不在です（保育幼稚園課に課長の利用者がいません）');
    expect(stuckReason({ ...base, stepKind: 'evaluator', stepLabel: '評価者', evaluatorActive: false })).toBe('評価者（部長）の利用者が無効です');
    expect(stuckReason({ ...base, stepKind: 'planning', stepLabel: '企画', activePlanners: 0 })).toBe('企画の利用者がいません');
    expect(stuckReason({ ...base, stepKind: 'section_chief' })).toBe('所管課長を承認できる人がいません（全員が作成または前の段階の承認に関わっています）');
  });
  it('names the cycle and the action in the subject', () => {
    expect(stuckEntriesNotice({ cycleLabel: '市長公約 令和8年度 下半期', work }).subject).toBe(
      '【要対応】市長公約 令和8年度 下半期 承認する人がいないエントリーが1件あります（評価サイクル）',
    );
  });
});

describe('escalation to the administrators', () => {
  it('says why it reached them (no active planning user), with the same subject and entries', () => {
    const toPlanning = stuckEntriesNotice({ cycleLabel: '市長公約 令和8年度 下半期', work });
    const toAdmins = stuckEntriesNotice({ cycleLabel: '市長公約 令和8年度 下半期', work, toAdmins: true });
    expect(toAdmins.subject).toBe(toPlanning.subject);
    expect(toAdmins.lines).toEqual(toPlanning.lines);
    expect(toPlanning.lead).not.toContain('管理者');
    expect(toAdmins.lead).toMatch(/^企画担当の有効な利用者がいないため、管理者のあなたにお送りしています。/);
  });
});
