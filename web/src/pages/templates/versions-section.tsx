import { StateBadge } from '../../components/common';
import { formatDate } from '../../format';
import { Link } from '../../router';
import type { CycleRecord } from './model';

/** Which version of the template each cycle opened with; a draft cycle takes the version current when it opens. */
function versionText(c: CycleRecord, current: number): string {
  if (!c.rules) return `開始前: 開始したときの版を使います(今なら第${current}版)`;
  if (c.rules.templateVersion === undefined) return '旧版(様式を設定できるようになる前に開始)';
  return `このサイクルはテンプレート第${c.rules.templateVersion}版で開始`;
}

/** 版とサイクル: the template's version and the version every cycle of it keeps. */
export function VersionsSection({ version, cycles }: { version: number; cycles: CycleRecord[] | undefined }) {
  return (
    <section className="card" aria-labelledby="tpl-versions">
      <h3 id="tpl-versions">版とサイクル</h3>
      <p>
        このテンプレートは<strong>第{version}版</strong>です。保存するたびに版が1つ上がります。
      </p>
      <p className="alert alert-info">
        編集しても、既に開始したサイクルの入力項目・評価尺度・承認ルートは変わりません。変更は、これから開始するサイクルから使われます。
      </p>
      {cycles && cycles.length ? (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">サイクル</th>
                <th scope="col">状態</th>
                <th scope="col">提出期限</th>
                <th scope="col">使っている版</th>
              </tr>
            </thead>
            <tbody>
              {cycles.map((c) => (
                <tr key={c.id} data-cycle-id={c.id}>
                  <td>
                    <Link to={`/cycles/${c.id}`}>{c.label}</Link>
                  </td>
                  <td>
                    <StateBadge state={c.state} label={c.stateLabel} />
                  </td>
                  <td>{formatDate(c.submissionDeadline)}</td>
                  <td>{versionText(c, version)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : cycles ? (
        <p className="muted">このテンプレートのサイクルはまだありません。</p>
      ) : null}
    </section>
  );
}
