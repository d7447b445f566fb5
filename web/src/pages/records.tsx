import { useState } from 'react';
import { api, download } from '../api';
import { Empty, ErrorMessage, Loading, PageHeader, StateBadge } from '../components/common';
import { formatDate } from '../format';
import { Link } from '../router';
import type { DisposalList, DisposalRow } from '../types';
import { useLoad } from '../use-load';

/**
 * 文書管理: the records (公文書) of closed cycles whose 保存期間 has ended, and those ending by the
 * end of the next fiscal year, each downloadable as its ZIP before it is disposed of.
 */
export function RecordsPage() {
  const list = useLoad(() => api.get<DisposalList>('/records/disposal'), []);
  const [error, setError] = useState<string | null>(null);
  // The record prints its PDF on the server, which can take a while: the button says so meanwhile.
  const [busy, setBusy] = useState<number | null>(null);

  const get = async (row: DisposalRow) => {
    setError(null);
    setBusy(row.cycleId);
    try {
      await download(`/cycles/${row.cycleId}/record.zip`, `cycle-${row.cycleId}-record.zip`);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageHeader title="文書管理" />
      <ErrorMessage message={list.error ?? error} />
      <p className="muted">
        締め切ったサイクルの記録(報告書PDF・一覧CSV/Excel・承認記録・監査ログ抜粋・チェックサム)は、サイクル管理の各サイクルから「記録(ZIP)」でいつでも出力できます。保存期間はテンプレートごとに設定し、締切日の翌年度4月1日から数えて、満了日(3月31日)を過ぎたものが廃棄の対象です。
      </p>
      {!list.data ? (
        <Loading />
      ) : (
        <>
          <RecordTable
            id="records-due"
            title={`廃棄対象(保存期間満了日が${formatDate(list.data.asOf)}以前)`}
            rows={list.data.due}
            empty="保存期間が満了した記録はありません。"
            onDownload={get}
            busy={busy}
          />
          <RecordTable
            id="records-upcoming"
            title={`${formatDate(list.data.upcomingUntil)}までに満了する記録`}
            rows={list.data.upcoming}
            empty="次年度末までに満了する記録はありません。"
            onDownload={get}
            busy={busy}
          />
        </>
      )}
    </>
  );
}

function RecordTable({
  id,
  title,
  rows,
  empty,
  onDownload,
  busy,
}: {
  id: string;
  title: string;
  rows: DisposalRow[];
  empty: string;
  onDownload: (r: DisposalRow) => Promise<void>;
  busy: number | null;
}) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <Empty>{empty}</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">サイクル</th>
              <th scope="col">テンプレート</th>
              <th scope="col">状態</th>
              <th scope="col">締切日</th>
              <th scope="col">保存期間</th>
              <th scope="col">保存期間満了日</th>
              <th scope="col">記録</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.cycleId}>
                <td>
                  <Link to={`/cycles/${r.cycleId}`}>{r.label}</Link>
                </td>
                <td>{r.templateName}</td>
                <td>
                  <StateBadge state={r.state} label={r.stateLabel} />
                </td>
                <td>{formatDate(r.closedOn)}</td>
                <td>{r.retentionLabel}</td>
                <td>{formatDate(r.disposalDate)}</td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => void onDownload(r)}
                    disabled={busy === r.cycleId}
                    aria-busy={busy === r.cycleId}
                    aria-label={`${r.label}(${r.templateName})の記録をダウンロード`}
                  >
                    {busy === r.cycleId ? '作成中…' : '記録(ZIP)'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
