import { useState } from 'react';
import { api } from '../../api';
import { ErrorMessage, Loading, StateBadge } from '../../components/common';
import { itemNumber } from '../../format';
import { Link } from '../../router';
import type { EntryRow } from '../../types';
import { useLoad } from '../../use-load';
import { STATE_ORDER } from './states';
import { ENTRY_STATE_LABELS, type EntryState } from '../../../../libs/domain/src/workflow/entry-state';

export function EntriesView({ id }: { id: number }) {
  const [state, setState] = useState('');
  const qs = new URLSearchParams({ pageSize: '500', ...(state ? { state } : {}) });
  const { data, error } = useLoad(() => api.get<{ total: number; items: EntryRow[] }>(`/cycles/${id}/entries?${qs}`), [id, state]);
  return (
    <section className="card">
      <div className="toolbar">
        <label htmlFor="entry-state-filter">状態</label>
        <select id="entry-state-filter" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">すべて</option>
          {STATE_ORDER.map((s) => (
            <option key={s} value={s}>
              {ENTRY_STATE_LABELS[s as EntryState]}
            </option>
          ))}
        </select>
        {data ? <span className="muted">{data.total}件</span> : null}
      </div>
      <ErrorMessage message={error} />
      {!data ? (
        <Loading />
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">番号</th>
                <th scope="col">項目</th>
                <th scope="col">課</th>
                <th scope="col">評価</th>
                <th scope="col">状態</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((e) => (
                <tr key={e.id}>
                  <td className="num">{itemNumber(e.itemNumber, e.itemSubNumber)}</td>
                  <td>
                    <Link to={`/entries/${e.id}`}>{e.itemTitle}</Link>
                  </td>
                  <td>{e.sectionName}</td>
                  <td className="rating-cell">{e.rating ?? '—'}</td>
                  <td>
                    <StateBadge state={e.state} label={e.stateLabel} />
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
