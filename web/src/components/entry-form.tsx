import { eraYearLabel } from '../../../libs/domain/src/periods/era';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { DEFAULT_LABELS, isRequired, reasonNeed } from '../entry-rules';
import { formatTime } from '../format';
import type { EntryDetail, EntryRow, FieldRule, KpiActual, TextFieldKey } from '../types';
import { ErrorMessage } from './common';
import { RatingButtons } from './rating-buttons';

const AUTOSAVE_DELAY_MS = 1500;
const TEXT_KEYS: TextFieldKey[] = ['progress', 'fiscalGoal', 'shortTermPlan', 'reason', 'nextSteps'];

interface Values {
  rating: string | null;
  text: Record<TextFieldKey, string>;
  /** As typed, so a half-typed number is not lost; converted on save. */
  kpis: Record<number, string>;
}

type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  | { kind: 'error'; message: string };

function valuesOf(entry: EntryRow): Values {
  const text = Object.fromEntries(TEXT_KEYS.map((k) => [k, entry[k] ?? ''])) as Record<TextFieldKey, string>;
  const kpis: Record<number, string> = {};
  for (const k of entry.kpiActuals ?? []) kpis[k.kpiId] = k.actual === null ? '' : String(k.actual);
  return { rating: entry.rating, text, kpis };
}

function parseNumber(raw: string): number | null | 'invalid' {
  const s = raw.trim().replace(/,/g, '');
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : 'invalid';
}

/**
 * The section's form: fields from the template, rating buttons from the scale, a reason that
 * appears when the domain rule asks for one, KPI actuals, debounced draft autosave and submit.
 */
export function EntryForm({
  detail,
  onReload,
  onSubmitted,
}: {
  detail: EntryDetail;
  onReload: () => Promise<void>;
  onSubmitted: () => Promise<void>;
}) {
  const { entry, template, scale, item } = detail;
  const [values, setValues] = useState<Values>(() => valuesOf(entry));
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [conflict, setConflict] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [submitting, setSubmitting] = useState(false);

  const version = useRef(entry.version);
  const latest = useRef(values);
  const timer = useRef<number | undefined>(undefined);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const dirty = useRef(false);

  // A reload after a conflict or a submit brings a new entry: start from it.
  useEffect(() => {
    version.current = entry.version;
    const fresh = valuesOf(entry);
    latest.current = fresh;
    setValues(fresh);
    dirty.current = false;
  }, [entry]);

  const fields = template.fields;
  const rule = (key: string): FieldRule | undefined => fields.find((f) => f.key === key);
  const need = reasonNeed(scale, values.rating, entry.previousRating);
  const hasKpis = !!rule('kpiActuals') && item.kpis.length > 0;
  const fieldComments = entry.state === 'returned' ? (entry.returnFieldComments ?? {}) : {};
  // The reason shows while it is needed, required by the template, or already written.
  const showReason = need.needed || rule('reason')?.required === 'always' || values.text.reason.trim() !== '';
  const textFields: FieldRule[] = fields.filter((f) => f.key !== 'kpiActuals' && f.key !== 'reason');
  const reasonRule: FieldRule = rule('reason') ?? { key: 'reason', label: DEFAULT_LABELS.reason, required: 'when_reason_needed' };

  const body = useCallback(
    (v: Values) => {
      const out: Record<string, unknown> = { version: version.current, rating: v.rating };
      // A blank field is stored as null, so an untouched field never reads as "changed".
      const text = (key: TextFieldKey) => (v.text[key].trim() === '' ? null : v.text[key]);
      for (const f of fields) if (f.key !== 'kpiActuals') out[f.key] = text(f.key as TextFieldKey);
      if (v.text.reason !== '' || rule('reason')) out.reason = text('reason');
      if (hasKpis) {
        out.kpiActuals = item.kpis.map<KpiActual>((k) => {
          const n = parseNumber(v.kpis[k.id] ?? '');
          return { kpiId: k.id, actual: n === 'invalid' ? null : n };
        });
      }
      return out;
    },
    [fields, hasKpis, item.kpis],
  );

  const onConflict = useCallback(
    async (err: ApiError) => {
      setConflict(
        err.body.field === 'version'
          ? '他の人がこのエントリーを先に更新したため、保存できませんでした。最新の内容を読み込み直しました。内容を確認して、必要なら入力し直してください。'
          : err.message,
      );
      setStatus({ kind: 'idle' });
      await onReload();
    },
    [onReload],
  );

  /** Saves the latest values; saves run one after another so versions never race each other. */
  const save = useCallback(() => {
    const run = async () => {
      if (!dirty.current) return;
      dirty.current = false;
      setStatus({ kind: 'saving' });
      try {
        const saved = await api.put<EntryRow>(`/entries/${entry.id}`, body(latest.current));
        version.current = saved.version;
        setStatus(dirty.current ? { kind: 'dirty' } : { kind: 'saved', at: new Date() });
        setFieldErrors({});
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) return onConflict(err);
        dirty.current = true;
        const message = err instanceof ApiError && err.status === 422 ? err.message : `保存できませんでした: ${(err as Error).message}`;
        if (err instanceof ApiError) setFieldErrors(err.fieldErrors());
        setStatus({ kind: 'error', message });
      }
    };
    chain.current = chain.current.then(run, run);
    return chain.current;
  }, [body, entry.id, onConflict]);

  const change = (update: (v: Values) => Values) => {
    const next = update(latest.current);
    latest.current = next;
    setValues(next);
    dirty.current = true;
    setStatus({ kind: 'dirty' });
    setConflict(null);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
  };

  // Leaving the page saves what was typed; closing the tab with unsaved input asks first.
  useEffect(() => {
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (dirty.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      window.clearTimeout(timer.current);
      if (dirty.current) void save();
    };
  }, [save]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    window.clearTimeout(timer.current);
    setSubmitting(true);
    setSubmitError(null);
    setFieldErrors({});
    try {
      await save();
      await chain.current;
      await api.post<EntryRow>(`/entries/${entry.id}/submit`, body(latest.current));
      dirty.current = false;
      await onSubmitted();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) await onConflict(err);
      else if (err instanceof ApiError) {
        setFieldErrors(err.fieldErrors());
        setSubmitError(err.status === 422 ? `提出できません。入力内容を確認してください: ${err.message}` : err.message);
      } else setSubmitError((err as Error).message);
    } finally {
      setSubmitting(false);
    }
  }

  const commentFor = (key: string) =>
    fieldComments[key] ? (
      <p className="field-comment" id={`comment-${key}`}>
        <span className="field-comment-label">差戻し指摘</span>
        {fieldComments[key]}
      </p>
    ) : null;

  const errorFor = (key: string) =>
    fieldErrors[key] ? (
      <p className="field-error" id={`error-${key}`}>
        {fieldErrors[key]}
      </p>
    ) : null;

  const textField = (f: FieldRule, hint?: string) => {
    const key = f.key as TextFieldKey;
    const required = isRequired(f, f.key, need);
    const length = [...values.text[key]].length;
    const describedBy = [fieldComments[key] && `comment-${key}`, fieldErrors[key] && `error-${key}`, hint && `hint-${key}`]
      .filter(Boolean)
      .join(' ');
    return (
      <div key={key} className={`field${fieldComments[key] ? ' field-flagged' : ''}${fieldErrors[key] ? ' field-invalid' : ''}`}>
        <label htmlFor={`field-${key}`}>
          {f.label}
          {required ? <span className="required">必須</span> : <span className="optional">任意</span>}
        </label>
        {hint ? (
          <p className="hint" id={`hint-${key}`}>
            {hint}
          </p>
        ) : null}
        <textarea
          id={`field-${key}`}
          name={key}
          rows={key === 'progress' ? 6 : 4}
          value={values.text[key]}
          required={required}
          aria-invalid={!!fieldErrors[key] || undefined}
          aria-describedby={describedBy || undefined}
          onChange={(ev) => {
            const value = ev.target.value;
            change((v) => ({ ...v, text: { ...v.text, [key]: value } }));
          }}
        />
        {f.maxLength ? (
          <p className={`counter${length > f.maxLength ? ' text-danger' : ''}`}>
            {length} / {f.maxLength} 文字
          </p>
        ) : null}
        {commentFor(key)}
        {errorFor(key)}
      </div>
    );
  };

  return (
    <form className="card entry-form" onSubmit={onSubmit} noValidate aria-label="エントリー入力">
      {conflict ? (
        <div className="alert alert-warning" role="alert">
          {conflict}
        </div>
      ) : null}

      <fieldset className={`field rating-field${fieldComments.rating ? ' field-flagged' : ''}${fieldErrors.rating ? ' field-invalid' : ''}`}>
        <legend id="rating-legend">
          評価<span className="required">必須</span>
          <span className="small muted">{scale.name}</span>
        </legend>
        <RatingButtons
          scale={scale}
          value={values.rating}
          onChange={(rating) => change((v) => ({ ...v, rating }))}
          describedBy={fieldComments.rating ? 'comment-rating' : undefined}
        />
        {detail.suggestion ? (
          <p className="small muted" data-testid="rating-suggestion">
            指標の達成率 {Math.round(detail.suggestion.achievementRate * 100)}% からの参考評価:{' '}
            {scale.options.find((o) => o.value === detail.suggestion?.rating)?.symbol ?? detail.suggestion.rating}
            (前回保存時の指標実績に基づく)
          </p>
        ) : null}
        {commentFor('rating')}
        {errorFor('rating')}
      </fieldset>

      {showReason ? (
        <div className={need.needed ? 'reason-box' : undefined}>{textField(reasonRule, need.needed ? need.why : undefined)}</div>
      ) : null}

      {textFields.map((f) => textField(f))}

      {hasKpis ? (
        <fieldset className={`field${fieldComments.kpiActuals ? ' field-flagged' : ''}`}>
          <legend>
            {rule('kpiActuals')!.label}
            {isRequired(rule('kpiActuals'), 'kpiActuals', need) ? <span className="required">必須</span> : <span className="optional">任意</span>}
          </legend>
          <div className="kpi-grid">
            {item.kpis.map((k) => {
              const raw = values.kpis[k.id] ?? '';
              const invalid = parseNumber(raw) === 'invalid';
              const target = k.targets ? Object.entries(k.targets).map(([y, t]) => `${eraYearLabel(Number(y))} ${t}${k.unit ?? ''}`).join('、') : '';
              return (
                <div key={k.id} className="kpi-row">
                  <label htmlFor={`kpi-${k.id}`}>{k.name}</label>
                  <div className="input-unit">
                    <input
                      id={`kpi-${k.id}`}
                      inputMode="decimal"
                      value={raw}
                      aria-invalid={invalid || undefined}
                      aria-describedby={invalid ? `kpi-${k.id}-error` : undefined}
                      onChange={(ev) => {
                        const value = ev.target.value;
                        change((v) => ({ ...v, kpis: { ...v.kpis, [k.id]: value } }));
                      }}
                    />
                    {k.unit ? <span className="unit">{k.unit}</span> : null}
                  </div>
                  {target ? <span className="small muted">目標: {target}</span> : null}
                  {invalid ? (
                    <span className="field-error" id={`kpi-${k.id}-error`}>
                      数値で入力してください
                    </span>
                  ) : null}
                </div>
              );
            })}
          </div>
          {commentFor('kpiActuals')}
          {errorFor('kpiActuals')}
        </fieldset>
      ) : null}

      <ErrorMessage message={submitError} />
      <div className="form-actions">
        <SaveIndicator status={status} />
        <button type="button" className="btn" onClick={() => void save()} disabled={submitting || status.kind === 'saving'}>
          一時保存
        </button>
        <button type="submit" className="btn btn-primary" disabled={submitting}>
          {submitting ? '提出中…' : entry.state === 'returned' ? '修正して再提出' : '提出'}
        </button>
      </div>
    </form>
  );
}

function SaveIndicator({ status }: { status: SaveStatus }) {
  const text =
    status.kind === 'saving'
      ? '保存中…'
      : status.kind === 'saved'
        ? `保存済み(${formatTime(status.at)})`
        : status.kind === 'dirty'
          ? '未保存の変更があります'
          : status.kind === 'error'
            ? status.message
            : '';
  return (
    <span className={`save-status save-${status.kind}`} role="status" aria-live="polite" data-testid="save-status">
      {text}
    </span>
  );
}
