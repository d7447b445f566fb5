/** The 確認結果 cell of a file preview's row: its errors, then its warnings, else what `ok` says. */
export function RowFindings({ errors, warnings, ok = 'OK' }: { errors: readonly string[]; warnings: readonly string[]; ok?: string }) {
  return (
    <td>
      {errors.map((m) => (
        <div key={m} className="field-error">
          {m}
        </div>
      ))}
      {warnings.map((m) => (
        <div key={m} className="small">
          {m}
        </div>
      ))}
      {!errors.length && !warnings.length ? ok : null}
    </td>
  );
}
