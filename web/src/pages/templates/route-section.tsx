import { useEffect, useState } from 'react';
import { api } from '../../api';
import type { DirectoryPerson } from '../../types';
import {
  CO_APPROVAL_PARTIES,
  CO_APPROVAL_PARTY_LABELS,
  CO_APPROVAL_RULE_LABELS,
  CO_APPROVAL_RULES,
  type CoApprovalDef,
  type CoApprovalParties,
  type CoApprovalRule,
} from '../../../../libs/domain/src/workflow/approval-steps';
import { NEW_CO, FALLBACK_CHAINS, MAX_APPROVAL_STEPS, moved, newUid, STEP_KIND_LABELS, STEP_KINDS, type Draft, type DraftStep, type StepKind } from './model';
import { TERMS } from '../../../../libs/domain/src/glossary/glossary';

interface Props {
  draft: Draft;
  set: <K extends keyof Draft>(key: K, value: Draft[K]) => void;
}

/** 承認ルート: the steps an entry passes after it is submitted, in order. */
export function RouteSection({ draft, set }: Props) {
  const steps = draft.steps;
  const setSteps = (next: DraftStep[]) => set('steps', next);
  const update = (uid: string, patch: Partial<DraftStep>) => setSteps(steps.map((s) => (s.uid === uid ? { ...s, ...patch } : s)));
  return (
    <section className="card" aria-labelledby="tpl-route">
      <h3 id="tpl-route">承認ルート(上から順に)</h3>
      <ol className="step-list">
        {steps.map((s, i) => {
          const name = `${i + 1}段階目`;
          return (
            <li key={s.uid} className="row-form" aria-label={`${name}: ${s.label || STEP_KIND_LABELS[s.kind]}`}>
              <label htmlFor={`step-${s.uid}-kind`}>{name}の承認者</label>
              <select
                id={`step-${s.uid}-kind`}
                value={s.kind}
                onChange={(e) => {
                  const kind = e.target.value as StepKind;
                  // The label follows the kind until it is written by hand.
                  update(s.uid, {
                    kind,
                    label: s.label === STEP_KIND_LABELS[s.kind] ? STEP_KIND_LABELS[kind] : s.label,
                    co: kind === 'co_approval' ? (s.co ?? NEW_CO) : undefined,
                  });
                }}
              >
                {STEP_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {STEP_KIND_LABELS[k]}
                  </option>
                ))}
              </select>
              <label htmlFor={`step-${s.uid}-label`}>{name}の表示</label>
              <input id={`step-${s.uid}-label`} required maxLength={50} value={s.label} onChange={(e) => update(s.uid, { label: e.target.value })} />
              {s.kind === 'co_approval' ? <CoSettings uid={s.uid} name={name} co={s.co ?? NEW_CO} onChange={(co) => update(s.uid, { co })} /> : null}
              <span className="button-row">
                <button type="button" className="btn btn-small" aria-label={`${name}を上へ`} disabled={i === 0} onClick={() => setSteps(moved(steps, i, -1))}>
                  上へ
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`${name}を下へ`}
                  disabled={i === steps.length - 1}
                  onClick={() => setSteps(moved(steps, i, 1))}
                >
                  下へ
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-danger-outline"
                  aria-label={`${name}を削除`}
                  disabled={steps.length === 1}
                  onClick={() => setSteps(steps.filter((x) => x.uid !== s.uid))}
                >
                  削除
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="btn btn-small"
        disabled={steps.length >= MAX_APPROVAL_STEPS}
        onClick={() => setSteps([...steps, { uid: newUid(), kind: 'planning', label: STEP_KIND_LABELS.planning }])}
      >
        段階を追加
      </button>
      {steps.length >= MAX_APPROVAL_STEPS ? <span className="small muted"> 承認は{MAX_APPROVAL_STEPS}段階までです。</span> : null}
      <label className="checkbox">
        <input type="checkbox" checked={draft.segregation} onChange={(e) => set('segregation', e.target.checked)} />
        一人が同じエントリーの二つの段階を承認しない(職務分掌)
      </label>
      <div className="field">
        <label htmlFor="tpl-fallback">評価者が承認できないとき(作成者本人{draft.segregation ? '・前の段階の承認者' : ''})の代わりの承認者</label>
        <select
          id="tpl-fallback"
          value={draft.fallbackApprovers.join(',')}
          onChange={(e) => set('fallbackApprovers', FALLBACK_CHAINS.find((c) => c.value === e.target.value)?.chain ?? draft.fallbackApprovers)}
        >
          {FALLBACK_CHAINS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={draft.externalReview} onChange={(e) => set('externalReview', e.target.checked)} />
        承認後に外部評価(行政評価委員会)の提言を受ける
      </label>
      {draft.externalReview ? (
        <label className="checkbox">
          <input type="checkbox" checked={draft.responseRequired} onChange={(e) => set('responseRequired', e.target.checked)} />
          次のサイクルでは提言への対応方針を提出の必須とする
        </label>
      ) : null}
    </section>
  );
}

/** 合議: all or any one, of the item's other sections or of named people. */
function CoSettings({ uid, name, co, onChange }: { uid: string; name: string; co: CoApprovalDef; onChange: (co: CoApprovalDef) => void }) {
  const [people, setPeople] = useState<DirectoryPerson[]>([]);
  useEffect(() => {
    if (co.parties !== 'named' || people.length) return;
    void api
      .get<DirectoryPerson[]>('/org/users/directory')
      .then(setPeople)
      .catch(() => setPeople([]));
  }, [co.parties, people.length]);
  return (
    <span className="co-settings">
      <label htmlFor={`step-${uid}-co-rule`}>{name}の合議の方法</label>
      <select id={`step-${uid}-co-rule`} value={co.rule} onChange={(e) => onChange({ ...co, rule: e.target.value as CoApprovalRule })}>
        {CO_APPROVAL_RULES.map((r) => (
          <option key={r} value={r}>
            {CO_APPROVAL_RULE_LABELS[r]}
          </option>
        ))}
      </select>
      <label htmlFor={`step-${uid}-co-parties`}>{name}の合議の相手</label>
      <select
        id={`step-${uid}-co-parties`}
        value={co.parties}
        onChange={(e) => {
          const parties = e.target.value as CoApprovalParties;
          onChange({ ...co, parties, userIds: parties === 'named' ? (co.userIds ?? []) : undefined });
        }}
      >
        {CO_APPROVAL_PARTIES.map((p) => (
          <option key={p} value={p}>
            {CO_APPROVAL_PARTY_LABELS[p]}
          </option>
        ))}
      </select>
      {co.parties === 'named' ? (
        <>
          <label htmlFor={`step-${uid}-co-users`}>{name}の合議に加わる職員(複数選択)</label>
          <select
            id={`step-${uid}-co-users`}
            multiple
            size={Math.min(6, Math.max(2, people.length))}
            value={(co.userIds ?? []).map(String)}
            onChange={(e) => onChange({ ...co, userIds: [...e.target.selectedOptions].map((o) => Number(o.value)) })}
          >
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}（{p.sectionName ?? '所属なし'}）
              </option>
            ))}
          </select>
        </>
      ) : null}
    </span>
  );
}

/** 期限とリマインダー: deadlines from the period's end, and when reminder mails go out. */
export function DeadlineSection({ draft, set }: Props) {
  return (
    <section className="card" aria-labelledby="tpl-deadlines">
      <h3 id="tpl-deadlines">期限とリマインダー</h3>
      <div className="grid-form">
        <div className="field">
          <label htmlFor="tpl-submit">提出期限(期間終了からの日数)</label>
          <input
            id="tpl-submit"
            type="number"
            required
            min={-60}
            max={120}
            value={draft.submissionOffsetDays}
            onChange={(e) => set('submissionOffsetDays', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="tpl-review">{TERMS.reviewDeadline}(期間終了からの日数)</label>
          <input
            id="tpl-review"
            type="number"
            required
            min={-60}
            max={180}
            value={draft.reviewOffsetDays}
            onChange={(e) => set('reviewOffsetDays', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="tpl-remind-before">締切の何営業日前に通知するか(「7, 3」のように区切って入力)</label>
          <input
            id="tpl-remind-before"
            inputMode="numeric"
            pattern="[0-9０-９\s,、]*"
            value={draft.reminderBefore}
            onChange={(e) => set('reminderBefore', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="tpl-overdue-every">締切後の督促の間隔(営業日、0で督促しない)</label>
          <input
            id="tpl-overdue-every"
            type="number"
            required
            min={0}
            max={30}
            value={draft.overdueEvery}
            onChange={(e) => set('overdueEvery', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="tpl-overdue-max">督促の回数(上限)</label>
          <input id="tpl-overdue-max" type="number" required min={0} max={30} value={draft.overdueMax} onChange={(e) => set('overdueMax', e.target.value)} />
        </div>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={draft.reminderOnDeadline} onChange={(e) => set('reminderOnDeadline', e.target.checked)} />
        締切日当日にも通知する
      </label>
    </section>
  );
}
