import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDepartmentGoals } from './department-goals.parser';

const text = readFileSync(resolve('libs/seed/data/department-goals-results.txt'), 'utf8');

describe('parseDepartmentGoals (real report)', () => {
  const report = parseDepartmentGoals(text);
  const dept = (name: string) => report.departments.find((d) => d.name === name)!;

  it('reads the eight departments of 令和6年度 in all three layouts, each with its head and goals', () => {
    expect(report.fiscalYear).toBe(2024);
    expect(report.departments.map((d) => `${d.name}:${d.headName}:${d.goals.length}`)).toEqual([
      '政策経営部:神山 尚:7',
      '総務部:矢吹 勇一:5',
      '市民環境部:木村西:6',
      '子ども未来部:志村明子:8',
      '地域福祉部:伊野宮 崇:5',
      '健康いきいき部:川口 荘一:5',
      'まちづくり部:金子 秀之:6',
      '教育部:田口 茂夫:5',
    ]);
    for (const d of report.departments) {
      expect(d.goals.map((g) => g.number)).toEqual(d.goals.map((_, i) => i + 1));
      expect(d.basicPolicy).not.toBe('');
      expect(d.summary).not.toBe('');
      expect(d.sections).toHaveLength(d.sectionCount!);
    }
  });

  it('reads 政策経営部 as printed', () => {
    const d = dept('政策経営部');
    expect(d.headReading).toBe('かみやま たかし');
    expect(d.basicPolicy).toBe('風通しの良い体制づくり！ 組織横断的な連携のもと、 責任ある立場で政策を牽引！');
    expect(d.summary).toBe(
      '相手のあること、財政的制約があることを除き、達成しました。市報のリニューアルは考え方を固めましたので、令和7年度中に実施します。公共施設再配置計画は、基本的な方向性を検討したので、これをベースに令和7年度に案を示していきます。',
    );
    expect(d.sections).toEqual(['企画政策課', '公共施設再編課', '市長室', '広報プロモーション課', '財政課']);
    expect(d.goals[1]).toEqual({
      number: 2,
      title: '3R(リデュース・リユース・リサイクル)の推進と新たなビジネススキームの構築に取り組みます！',
      result: '達成',
      resultText: '',
    });
    // Two result words printed for goal 4: the last one is the result, both are kept.
    expect(d.goals[3]).toEqual({ number: 4, title: '庁内電話網の抜本的改革に着手します！', result: '達成', resultText: '着手 達成' });
  });

  it('numbers unnumbered lists and reads 未達成 and 一部達成', () => {
    expect(dept('市民環境部').goals.map((g) => g.result)).toEqual(['達成', '達成', '未達成', '未達成', '達成', '達成']);
    expect(dept('子ども未来部').goals[5]).toMatchObject({ number: 6, title: '大和南保育園跡地の活用を進めます!', result: '未達成' });
    expect(dept('教育部').goals[2]).toMatchObject({ title: '学校のDXの強化、ICT環境等の整備を進めます！', result: '一部達成' });
  });

  it('reads the plain-text layout: head on three lines, a bold slogan over two, paragraphs kept', () => {
    const d = dept('まちづくり部');
    expect(d).toMatchObject({ headReading: 'かねこ ひでゆき', headName: '金子 秀之', basicPolicy: '都市としての価値を高める 都市づくりを推進！' });
    expect(d.sections).toEqual(['都市づくり課', '都市基盤課', '下水道課']);
    expect(d.goals[0]).toMatchObject({ number: 1, title: '都市マスタープランの改定を行います！', result: '達成' });
    expect(dept('健康いきいき部').summary.split('\n')).toHaveLength(3);
    expect(dept('子ども未来部').sections).toEqual(['子育て支援課', '子ども家庭支援センター', '保育課']);
  });
});
