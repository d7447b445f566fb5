import { api } from '../api';
import { RowFindings } from '../components/row-findings';
import { Empty, ErrorMessage, Loading, Notice } from '../components/common';
import { formatDate, formatDateTime } from '../format';
import type { ReformBatch, ReformRegistered, ReformReport } from '../types';
import { BatchMode, useFileBatch } from '../use-file-batch';
import { useLoad } from '../use-load';

/** What became of a registered file, as the list says it. */
function reformState(r: ReformBatch): string {
  if (r.cancelledAt) return '取消済';
  if (!r.appliedAt) return `${formatDate(r.effectiveDate)}に適用予定`;
  return r.applied === false ? `適用できませんでした(${r.failure ?? ''})` : '適用済';
}

/**
 * 機構改革: a file of new, renamed, merged, split and moved sections and departments with their
 * 施行日, run and rolled back for the per-row report, then applied all rows or none: on its
 * 施行日 by the worker (listed until then, and cancellable), or at once.
 */
export function OrgReformCard() {
  const reforms = useLoad(() => api.get<ReformBatch[]>('/org/reforms'), []);
  const {
    input,
    preview: report,
    error,
    setError,
    notice,
    setNotice,
    busy,
    read,
    register,
  } = useFileBatch<ReformReport>({
    previewPath: '/org/reforms/preview',
    registerPath: '/org/reforms',
    missingFile: '機構改革のファイルを選んでください',
    previewKey: 'report',
    reload: reforms.reload,
  });

  const apply = (mode: BatchMode) =>
    register<ReformRegistered>(mode, (done) =>
      done.scheduled
        ? `機構改革 #${done.reformId} を登録しました。施行日(${formatDate(done.effectiveDate)})に自動で適用します。`
        : `機構改革を適用しました(${done.summary.rows}行)。`,
    );

  async function cancel(r: ReformBatch) {
    setError(null);
    setNotice(null);
    try {
      await api.post(`/org/reforms/${r.id}/cancel`);
      setNotice(`機構改革 #${r.id} を取り消しました(施行日 ${formatDate(r.effectiveDate)})。`);
      await reforms.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const ok = report && !report.fileErrors.length && report.summary.errorRows === 0;
  return (
    <section className="card" aria-labelledby="reform-upload">
      <h2 id="reform-upload">機構改革</h2>
      <p className="small muted">
        列:
        種別(部の新設・部の名称変更・課の新設・課の名称変更・課の統合・課の分割・課の所属変更)、対象、新コード、新名称、部、統合先、施行日。上の行から順に処理し、全行に誤りがないときだけ適用します。施行日が先のファイルはその日に自動で適用します(それまでは取り消せます)。過去の期間の帳票は当時の部名・課名のままです。
      </p>
      <Notice message={notice} kind="success" />
      <ErrorMessage message={error ?? reforms.error} />
      <form className="row-form" noValidate onSubmit={read}>
        <label htmlFor="reform-file">機構改革ファイル(CSV UTF-8 または Excel .xlsx)</label>
        <input id="reform-file" ref={input} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          読み込んで確認
        </button>
      </form>
      {report ? (
        <>
          {report.fileErrors.map((m) => (
            <ErrorMessage key={m} message={m} />
          ))}
          {ok ? (
            <div className="button-row">
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void apply('on_date')}>
                施行日に適用する
              </button>
              <button type="button" className="btn" disabled={busy} onClick={() => void apply('now')}>
                今すぐ適用する
              </button>
            </div>
          ) : (
            <Notice kind="warning" message="誤りのある行を直してから、もう一度読み込んでください。" />
          )}
          <div className="table-scroll">
            <table className="table transfer-preview">
              <caption>機構改革の確認結果</caption>
              <thead>
                <tr>
                  <th scope="col">行</th>
                  <th scope="col">種別</th>
                  <th scope="col">対象</th>
                  <th scope="col">内容</th>
                  <th scope="col">確認結果</th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((r) => (
                  <tr key={r.row} className={r.errors.length ? 'row-error' : undefined}>
                    <th scope="row">{r.row}</th>
                    <td>{r.kind}</td>
                    <td>{r.target}</td>
                    <td>{r.result ?? ''}</td>
                    <RowFindings errors={r.errors} warnings={r.warnings} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <h3 id="reform-batches">登録済みの機構改革</h3>
      {!reforms.data ? (
        <Loading />
      ) : reforms.data.length === 0 ? (
        <Empty>登録された機構改革はありません。</Empty>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-labelledby="reform-batches">
            <thead>
              <tr>
                <th scope="col">番号</th>
                <th scope="col">施行日</th>
                <th scope="col">内容</th>
                <th scope="col">状態</th>
                <th scope="col">登録</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {reforms.data.map((r) => (
                <tr key={r.id}>
                  <td>#{r.id}</td>
                  <td>{formatDate(r.effectiveDate)}</td>
                  <td>
                    <ul>
                      {r.results.map((line, i) => (
                        <li key={i}>{line}</li>
                      ))}
                    </ul>
                  </td>
                  <td>{reformState(r)}</td>
                  <td>
                    {formatDateTime(r.createdAt)} {r.createdByName ?? ''}
                  </td>
                  <td>
                    {!r.appliedAt && !r.cancelledAt ? (
                      <button type="button" className="btn btn-small" onClick={() => void cancel(r)} aria-label={`機構改革 #${r.id} を取り消す`}>
                        取り消す
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
