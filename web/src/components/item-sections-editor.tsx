import { uid, type SectionDraft } from '../item-draft';
import type { SectionRow } from '../types';

/** The responsible sections (所管課), each with its own 実施内容 and target date when it has one. */
export function ItemSectionsEditor({ sections, value, onChange }: { sections: SectionRow[]; value: SectionDraft[]; onChange: (v: SectionDraft[]) => void }) {
  const update = (key: number, change: Partial<SectionDraft>) => onChange(value.map((s) => (s.uid === key ? { ...s, ...change } : s)));
  return (
    <div className="sections-editor">
      {value.length === 0 ? <p className="muted">所管課を1つ以上追加してください。</p> : null}
      {value.map((s, i) => {
        const id = `sec-${s.uid}`;
        const n = i + 1;
        return (
          <fieldset key={s.uid} className="kpi-card">
            <legend>所管課{n}</legend>
            <div className="builder-grid">
              <div className="field">
                <label htmlFor={`${id}-section`}>課</label>
                <select id={`${id}-section`} value={s.sectionId} onChange={(e) => update(s.uid, { sectionId: e.target.value })}>
                  <option value="">選んでください</option>
                  {sections.map((x) => (
                    <option key={x.id} value={x.id}>
                      {x.departmentName} {x.name}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${id}-date`}>この課の目標期日</label>
                <input id={`${id}-date`} value={s.targetDateText} onChange={(e) => update(s.uid, { targetDateText: e.target.value })} />
              </div>
            </div>
            <div className="field">
              <label htmlFor={`${id}-content`}>この課の実施内容</label>
              <textarea id={`${id}-content`} rows={2} value={s.content} onChange={(e) => update(s.uid, { content: e.target.value })} />
            </div>
            <button type="button" className="btn btn-small btn-danger-outline" onClick={() => onChange(value.filter((x) => x.uid !== s.uid))}>
              所管課{n}を外す
            </button>
          </fieldset>
        );
      })}
      <button type="button" className="btn btn-small" onClick={() => onChange([...value, { uid: uid(), sectionId: '', content: '', targetDateText: '' }])}>
        所管課を追加
      </button>
    </div>
  );
}
