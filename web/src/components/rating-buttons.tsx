import type { Scale } from '../types';

/** The scale's options as real toggle buttons showing their symbols (☆○△×, A–D, ...). */
export function RatingButtons({
  scale,
  value,
  onChange,
  disabled,
  describedBy,
}: {
  scale: Scale;
  value: string | null;
  onChange: (value: string | null) => void;
  disabled?: boolean;
  describedBy?: string;
}) {
  return (
    <div className="rating-buttons" role="group" aria-labelledby="rating-legend" aria-describedby={describedBy}>
      {scale.options.map((o) => {
        const selected = value === o.value;
        return (
          <button
            key={o.value}
            type="button"
            className={`rating-button ordinal-${o.ordinal}${selected ? ' selected' : ''}`}
            aria-pressed={selected}
            disabled={disabled}
            data-rating={o.value}
            title={o.label}
            onClick={() => onChange(selected ? null : o.value)}
          >
            <span className="rating-symbol" aria-hidden="true">
              {o.symbol}
            </span>
            <span className="rating-label">
              <span className="visually-hidden">{o.symbol} </span>
              {o.label}
            </span>
          </button>
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
