import { Bar, Empty } from '../../components/common';

export function ChartRows({ rows, max, tone }: { rows: { key: string | number; label: string; value: number; text: string }[]; max: number; tone: string }) {
  if (!rows.length) return <Empty>データがありません。</Empty>;
  return (
    <div className="chart">
      {rows.map((r) => (
        <div key={r.key} className="chart-row">
          <span className="chart-label">{r.label}</span>
          <Bar value={r.value} max={max} tone={tone} label={r.text} />
          <span className="chart-value">{r.text}</span>
        </div>
      ))}
    </div>
  );
}
