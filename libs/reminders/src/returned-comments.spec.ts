import { normaliseForm } from '@app/domain';
import { fieldCommentsOf } from './returned-comments';

describe('per-field comments of a return', () => {
  const form = normaliseForm([
    { key: 'kpiActuals', label: '活動指標' },
    { key: 'shortfallReason', label: '目標値が未達成の理由・分析', type: 'long_text' },
    { key: 'rating', label: '総合評価' },
    { key: 'summary', label: '総括', type: 'long_text', scope: 'department' },
  ]);

  it("labels each comment with the cycle's form, custom fields included, in the form's order", () => {
    expect(fieldCommentsOf(form, { summary: '部の総括も見直してください', rating: ' 根拠は？ ', shortfallReason: '分析が不足しています' })).toEqual([
      { label: '目標値が未達成の理由・分析', comment: '分析が不足しています' },
      { label: '総合評価', comment: '根拠は？' },
      { label: '総括', comment: '部の総括も見直してください' },
    ]);
  });

  it('the rating is 評価 when the form does not place it; a key the form lost keeps a name', () => {
    const plain = normaliseForm([{ key: 'progress', label: '取組状況' }]);
    expect(fieldCommentsOf(plain, { nextSteps: '記載を', progress: '具体的に', rating: '？', gone: 'x', blank: '  ' })).toEqual([
      { label: '評価', comment: '？' },
      { label: '取組状況', comment: '具体的に' },
      { label: '今後の取組', comment: '記載を' },
      { label: 'gone', comment: 'x' },
    ]);
    expect(fieldCommentsOf(plain, null)).toEqual([]);
  });
});
