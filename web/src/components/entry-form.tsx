import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { findOption } from '../../../libs/domain/src/scales/rating-scale';
import { itemRuleValues, type FormField, type RuleContext } from '../../../libs/domain/src/forms';
import { api, ApiError } from '../api';
import { bodyOf, fieldPresence, fieldViews, FormState, RawValue, stateOf, valuesOf } from '../form-state';
import { useFocusFirstInvalid } from '../focus-invalid';
import { formatTime } from '../format';
import type { EntryDetail, EntryRow, Scale } from '../types';
import { ErrorMessage } from './common';
import { FieldInput } from './field-input';
import { KpiTable } from './kpi-table';
import { RatingButtons } from './rating-buttons';

const AUTOSAVE_DELAY_MS = 1500;
const RATING_FIELD: FormField = { key: 'rating', label: '評価', type: 'rating', scope: 'entry', required: true };

type SaveStatus = { kind: 'idle' } | { kind: 'dirty' } | { kind: 'saving' } | { kind: 'saved'; at: Date } | { kind: 'error'; message: string };

/** Why a conditional field is needed now, in the words the form shows above it. */
function neededBecause(context: RuleContext, scale: Scale, label: string): string {
  const option = findOption(scale, context.rating);
  if (context.ratingNeedsReason && option) return `評価が「${option.symbol}」のため、${label}の記入が必要です`;
  if (context.worsened && option) {
    const prev = findOption(scale, context.previousRating);
    return `評価が前回(${prev?.symbol ?? context.previousRating})から${option.symbol}に下がったため、${label}の記入が必要です`;
  }
  if (context.kpiShortfall) return `指標の実績が目標に達していないため、${label}の記入が必要です`;
  return `${label}の記入が必要です`;
}

/**
 * The section's form, laid out from the cycle's form definition: each field as its type asks,
 * shown and required by the definition's rules (the domain's own evaluation, the API's too),
 * the rating from the scale, the KPI table with live achievement, debounced autosave, submit.
 * Department and section fields are entered once in their own panel (ScopeValuesPanel).
 */
export function EntryForm({ detail, onReload, onSubmitted }: { detail: EntryDetail; onReload: () => Promise<void>; onSubmitted: () => Promise<void> }) {
  const { entry, template, scale, item } = detail;
  const fields = template.fields;
  const [values, setValues] = useState<FormState>(() => stateOf(entry, fields));
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [conflict, setConflict] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [submitting, setSubmitting] = useState(false);
  const invalid = useFocusFirstInvalid<HTMLFormElement>();

  const version = useRef(entry.version);
  const latest = useRef(values);
  const timer = useRef<number | undefined>(undefined);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const dirty = useRef(false);

  // The form starts from the entry once (the page mounts a new form after a lifecycle action) and
  // again only after a conflict (resync). Any other reload (the department panel saved, one that
  // left before this form's own save came back) brings nothing the form should take: adopting it
  // would put an older version or older values back under what is being typed and submitted.
  const loaded = useRef(false);
  const resync = useRef(false);
  useEffect(() => {
    if (loaded.current && !resync.current) return;
    resync.current = false;
    loaded.current = true;
    version.current = entry.version;
    const fresh = stateOf(entry, fields);
    latest.current = fresh;
    setValues(fresh);
    dirty.current = false;
  }, [entry, fields]);

  const kpiField = fields.find((f) => f.type === 'kpi_table');
  const hasKpis = !!kpiField && item.kpis.length > 0;
  const fieldComments = entry.state === 'returned' ? (entry.returnFieldComments ?? {}) : {};
  const { context, views } = useMemo(
    () =>
      fieldViews(fields, scale, valuesOf(values, fields, item.kpis), {
        previousRating: entry.previousRating,
        kpis: item.kpis,
        fiscalYear: detail.fiscalYear,
        item: itemRuleValuesOf(detail),
        scopeValues: { ...detail.scopes.department.values, ...detail.scopes.section.values },
      }),
    [fields, scale, values, item.kpis, entry.previousRating, detail],
  );
  const ordered = fields.some((f) => f.type === 'rating') ? fields : [RATING_FIELD, ...fields];

  const body = useCallback((v: FormState) => ({ version: version.current, ...bodyOf(v, fields, item.kpis, hasKpis) }), [fields, hasKpis, item.kpis]);

  const onConflict = useCallback(
    async (err: ApiError) => {
      setConflict(
        err.body.field === 'version'
          ? '他の人がこのエントリーを先に更新したため、保存できませんでした。最新の内容を読み込み直しました。内容を確認して、必要なら入力し直してください。'
          : err.message,
      );
      setStatus({ kind: 'idle' });
      resync.current = true;
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

  const change = (update: (v: FormState) => FormState) => {
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
        invalid.request();
      } else {
        setSubmitError((err as Error).message);
        invalid.request();
      }
    } finally {
      setSubmitting(false);
    }
  }

  const setField = (key: string) => (value: RawValue) => change((v) => ({ ...v, fields: { ...v.fields, [key]: value } }));

  const renderField = (f: FormField) => {
    const view = views[f.key] ?? { shown: true, required: false };
    if (f.type === 'rating') {
      return (
        <fieldset key="rating" className={`field rating-field${fieldComments.rating ? ' field-flagged' : ''}${fieldErrors.rating ? ' field-invalid' : ''}`}>
          <legend id="rating-legend">
            {f.label}
            <span className="required">必須</span>
            <span className="small muted">{scale.name}</span>
          </legend>
          {f.help ? <p className="small muted">{f.help}</p> : null}
          <RatingButtons
            scale={scale}
            value={values.rating}
            onChange={(rating) => change((v) => ({ ...v, rating }))}
            describedBy={[fieldComments.rating && 'comment-rating', fieldErrors.rating && 'error-rating'].filter(Boolean).join(' ') || undefined}
            invalid={!!fieldErrors.rating}
          />
          {detail.suggestion ? (
            <p className="small muted" data-testid="rating-suggestion">
              指標の達成率 {Math.round(detail.suggestion.achievementRate * 100)}% からの参考評価:{' '}
              {scale.options.find((o) => o.value === detail.suggestion?.rating)?.symbol ?? detail.suggestion.rating}
              (前回保存時の指標実績に基づく)
            </p>
          ) : null}
          {fieldComments.rating ? (
            <p className="field-comment" id="comment-rating">
              <span className="field-comment-label">差戻し指摘</span>
              {fieldComments.rating}
            </p>
          ) : null}
          {fieldErrors.rating ? (
            <p className="field-error" id="error-rating">
              {fieldErrors.rating}
            </p>
          ) : null}
        </fieldset>
      );
    }
    if (f.scope !== 'entry' || !view.shown) return null;
    if (f.type === 'kpi_table') {
      if (!hasKpis) return null;
      return (
        <KpiTable
          key={f.key}
          field={f}
          kpis={item.kpis}
          fiscalYear={detail.fiscalYear}
          raw={values.kpis}
          required={view.required}
          error={fieldErrors.kpiActuals}
          comment={fieldComments.kpiActuals}
          onChange={(id, value) => change((v) => ({ ...v, kpis: { ...v.kpis, [id]: value } }))}
          previous={detail.previous ? { label: detail.previous.cycleLabel, actuals: detail.previous.kpiActuals ?? [] } : null}
        />
      );
    }
    // A field required only under a condition appears when the condition holds (the reason
    // for △, the analysis of a missed target), or when it already has something in it.
    const raw = values.fields[f.key] ?? null;
    const presence = fieldPresence(f, view, raw, !!fieldComments[f.key]);
    if (presence.waiting) return null;
    const input = (
      <FieldInput
        key={f.key}
        field={f}
        value={raw}
        onChange={setField(f.key)}
        required={view.required}
        error={fieldErrors[f.key]}
        comment={fieldComments[f.key]}
        hint={presence.highlighted ? neededBecause(context, scale, f.label) : undefined}
      />
    );
    return presence.highlighted ? (
      <div key={f.key} className="reason-box">
        {input}
      </div>
    ) : (
      input
    );
  };

  return (
    <form ref={invalid.ref} className="card entry-form" onSubmit={onSubmit} noValidate aria-label="エントリー入力">
      {conflict ? (
        <div className="alert alert-warning" role="alert">
          {conflict}
        </div>
      ) : null}

      {ordered.map(renderField)}

      <ErrorMessage message={submitError} />
      <div className="form-actions">
        <SaveIndicator status={status} />
        <button
          type="button"
          className="btn"
          onClick={() =>
            void save().then(() => {
              if (dirty.current) invalid.request();
            })
          }
          disabled={submitting || status.kind === 'saving'}
        >
          一時保存
        </button>
        <button type="submit" className="btn btn-primary" disabled={submitting}>
          {submitting ? '提出中…' : entry.state === 'returned' ? '修正して再提出' : '提出'}
        </button>
      </div>
    </form>
  );
}

/** The item's attributes as rules read them (the cycle's year for per-year ones). */
function itemRuleValuesOf(detail: EntryDetail): Record<string, unknown> {
  return itemRuleValues(detail.item.itemFields ?? [], detail.item.attributes ?? {}, detail.fiscalYear);
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
