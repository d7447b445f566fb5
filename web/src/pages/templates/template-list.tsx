import { PERIOD_TYPE_LABELS } from '../../../../libs/domain/src/periods/period';
import { Link } from '../../router';
import type { Plan, Scale } from '../../types';
import type { TemplateRecord } from './model';
import { withSymbols } from './scale-section';

interface Props {
  templates: TemplateRecord[];
  plans: Plan[] | undefined;
  scales: Scale[] | undefined;
  editingId: number | undefined;
}

/** The templates, each with a link to edit it. */
export function TemplateList({ templates, plans, scales, editingId }: Props) {
  const scaleName = (code: string) => {
    const scale = scales?.find((s) => s.code === code);
    return scale ? withSymbols(scale) : code;
  };
  const planName = (id: number) => plans?.find((p) => p.id === id)?.name ?? `#${id}`;
  return (
    <section className="card" aria-labelledby="tpl-list">
      <h2 id="tpl-list">登録されているテンプレート</h2>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">名称</th>
              <th scope="col">計画</th>
              <th scope="col">周期</th>
              <th scope="col">評価尺度</th>
              <th scope="col">入力項目</th>
              <th scope="col">承認ルート</th>
              <th scope="col">提出期限</th>
              <th scope="col">自動開始</th>
              <th scope="col">版</th>
              <th scope="col">
                <span className="visually-hidden">操作</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {templates.map((t) => (
              <tr
                key={t.id}
                data-template-id={t.id}
                className={[t.active ? '' : 'muted', t.id === editingId ? 'row-current' : ''].join(' ').trim() || undefined}
              >
                <td>
                  {t.name}
                  <div className="small muted">{t.code}</div>
                </td>
                <td>{planName(t.planId)}</td>
                <td>{PERIOD_TYPE_LABELS[t.periodType] ?? t.periodType}</td>
                <td>{scaleName(t.scaleCode)}</td>
                <td className="num">{t.fields.length}項目</td>
                <td>{t.approvalRoute.map((s) => s.label).join(' → ')}</td>
                <td>期間終了{t.submissionOffsetDays >= 0 ? `の${t.submissionOffsetDays}日後` : `の${-t.submissionOffsetDays}日前`}</td>
                <td>{t.autoOpen ? 'する' : 'しない'}</td>
                <td className="num">第{t.version}版</td>
                <td className="actions">
                  {t.id === editingId ? (
                    <span className="small muted">編集中</span>
                  ) : (
                    <Link to={`/templates/${t.id}`} className="btn btn-small" aria-label={`「${t.name}」を編集`}>
                      編集
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
