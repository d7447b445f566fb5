import { api } from '../api';
import { RowFindings } from '../components/row-findings';
import { Empty, ErrorMessage, Loading, Notice, PageHeader } from '../components/common';
import { formatDate, formatDateTime } from '../format';
import type { TransferBatch, TransferPreview } from '../types';
import { BatchMode, useFileBatch } from '../use-file-batch';
import { useLoad } from '../use-load';
import { OrgReformCard } from './org-reform';

/**
 * 人事異動: the personnel section's file (CSV or Excel) read row by row before anything changes:
 * who goes where as what from when, each row's errors (unknown person, section or post, a
 * duplicate, a step left with nobody to approve it) and what it does to the work in flight. A
 * file without errors is applied at once or by the worker on each row's 発令日.
 */
export function TransfersPage() {
  const batches = useLoad(() => api.get<TransferBatch[]>('/org/transfers'), []);
  const { input, preview, error, setError, notice, setNotice, busy, read, register } = useFileBatch<TransferPreview>({
    previewPath: '/org/transfers/preview',
    registerPath: '/org/transfers',
    missingFile: '人事異動のファイルを選んでください',
    previewKey: 'preview',
    reload: batches.reload,
  });

  const apply = (mode: BatchMode) =>
    register<{ transferId: number; preview: TransferPreview; outcome: { applied: number; reassignedEntries: number } | null }>(mode, (res) =>
      res.outcome
        ? `人事異動 #${res.transferId} を適用しました(異動 ${res.outcome.applied}人、承認者が替わったエントリー ${res.outcome.reassignedEntries}件)。`
        : `人事異動 #${res.transferId} を登録しました。各行の発令日に自動で適用します。`,
    );

  async function cancel(b: TransferBatch) {
    setError(null);
    try {
      await api.post(`/org/transfers/${b.id}/cancel`);
      setNotice(`人事異動 #${b.id} の未発令分を取り消しました。`);
      await batches.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const ok = preview && !preview.fileErrors.length && preview.summary.errorRows === 0;
  return (
    <>
      <PageHeader title="人事異動・機構改革" />
      <Notice message={notice} kind="success" />
      <ErrorMessage message={error ?? batches.error} />
      <section className="card" aria-labelledby="transfer-upload">
        <h2 id="transfer-upload">異動ファイルの読み込み</h2>
        <p className="small muted">
          列: ログインID または
          職員番号、氏名、新所属(課のコードまたは名称。部長は部)、新職(部長・参事・課長・係長・主事・担当など)、発令日。読み込むだけでは何も変わりません。
        </p>
        <form className="row-form" noValidate onSubmit={read}>
          <label htmlFor="transfer-file">異動ファイル(CSV UTF-8 または Excel .xlsx)</label>
          <input id="transfer-file" ref={input} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
          <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
            読み込んで確認
          </button>
        </form>
      </section>

      {preview ? (
        <section className="card" aria-labelledby="transfer-preview">
          <h2 id="transfer-preview">確認結果</h2>
          {preview.fileErrors.map((m) => (
            <ErrorMessage key={m} message={m} />
          ))}
          <p>
            {preview.summary.rows}行: 異動 {preview.summary.moves}人、変更なし {preview.summary.unchanged}人
            {preview.summary.errorRows ? <strong className="text-danger">、誤り {preview.summary.errorRows}行</strong> : null}。 承認者が替わるエントリー{' '}
            {preview.summary.reassignedEntries}件、終了する代理設定 {preview.summary.delegationsEnding}件、評価者を引き継ぐ項目{' '}
            {preview.summary.itemsHandedOver}件。
          </p>
          {ok ? (
            <div className="button-row">
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void apply('on_date')}>
                発令日に適用する
              </button>
              <button type="button" className="btn" disabled={busy} onClick={() => void apply('now')}>
                今すぐ適用する
              </button>
            </div>
          ) : (
            <Notice kind="warning" message="誤りのある行を直してから、もう一度読み込んでください。誤りがある間は適用できません。" />
          )}
          <div className="table-scroll">
            <table className="table transfer-preview">
              <caption>行ごとの確認結果</caption>
              <thead>
                <tr>
                  <th scope="col">行</th>
                  <th scope="col">職員</th>
                  <th scope="col">氏名</th>
                  <th scope="col">現在</th>
                  <th scope="col">異動後</th>
                  <th scope="col">発令日</th>
                  <th scope="col">確認結果</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.row} className={r.errors.length ? 'row-error' : undefined}>
                    <th scope="row">{r.row}</th>
                    <td>{r.person}</td>
                    <td>{r.name}</td>
                    <td>{r.current ?? ''}</td>
                    <td>{r.next ?? ''}</td>
                    <td>{r.effectiveDate ? formatDate(r.effectiveDate) : ''}</td>
                    <RowFindings errors={r.errors} warnings={r.warnings} ok={r.unchanged ? '変更なし' : 'OK'} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section className="card" aria-labelledby="transfer-batches">
        <h2 id="transfer-batches">登録済みの人事異動</h2>
        {!batches.data ? (
          <Loading />
        ) : batches.data.length === 0 ? (
          <Empty>登録された人事異動はありません。</Empty>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">番号</th>
                <th scope="col">ファイル</th>
                <th scope="col">発令日</th>
                <th scope="col">発令済</th>
                <th scope="col">登録</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {batches.data.map((b) => (
                <tr key={b.id}>
                  <td>#{b.id}</td>
                  <td>{b.fileName ?? ''}</td>
                  <td>
                    {formatDate(b.firstDate)}
                    {b.lastDate && b.lastDate !== b.firstDate ? ` 〜 ${formatDate(b.lastDate)}` : ''}
                  </td>
                  <td>
                    {b.applied} / {b.rows}人{b.cancelledAt ? '(取消済)' : ''}
                  </td>
                  <td>
                    {formatDateTime(b.createdAt)} {b.createdByName ?? ''}
                  </td>
                  <td>
                    {!b.cancelledAt && b.applied < b.rows ? (
                      <button type="button" className="btn btn-small" onClick={() => void cancel(b)}>
                        未発令分を取り消す
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <OrgReformCard />
    </>
  );
}
