import type { Scale } from '../types';

/**
 * The scale's options (☆○△×, A–D, ◎○△×, ...) as a radio group drawn as large buttons with
 * their symbols. Native radios, so the group is one Tab stop and the arrow keys move the choice
 * (the WAI-ARIA radio group pattern) without any script of ours.
 */
export function RatingButtons({
  scale,
  value,
  onChange,
  disabled,
  describedBy,
  invalid,
  name = 'rating',
}: {
  scale: Scale;
  value: string | null;
  onChange: (value: string | null) => void;
  disabled?: boolean;
  describedBy?: string;
  /** The API refused the rating: the group says so and the form can focus it. */
  invalid?: boolean;
  name?: string;
}) {
  return (
    <div className="rating-buttons" role="radiogroup" aria-labelledby="rating-legend" aria-describedby={describedBy} aria-invalid={invalid || undefined}>
      {scale.options.map((o) => {
        const selected = value === o.value;
        return (
          <label
            key={o.value}
            className={`rating-button ordinal-${o.ordinal}${selected ? ' selected' : ''}${disabled ? ' disabled' : ''}`}
            data-rating={o.value}
            title={o.label}
          >
            <input
              type="radio"
              className="rating-radio"
              name={name}
              value={o.value}
              checked={selected}
              disabled={disabled}
              aria-invalid={invalid || undefined}
              onChange={() => onChange(o.value)}
            />
            <span className="rating-symbol" aria-hidden="true">
              {o.symbol}
            </span>
            <span className="rating-label">
              {selected ? (
                <span className="rating-check" aria-hidden="true">
                  ✓{' '}
                </span>
              ) : null}
              <span className="visually-hidden">{o.symbol} </span>
              {o.label}
            </span>
          </label>
        );
      })}
    </div>
  );
}

export function RatingText({ scale, value }: { scale: Scale; value: string | null | undefined }) {
  if (!value) return <span className="muted">未選択</span>;
  const o = scale.options.find((x) => x.value === value);
  return (
    <span className="rating-text">
      <span className="rating-symbol-inline">{o?.symbol ?? value}</span> {o?.label ?? ''}
    </span>
  );
}
