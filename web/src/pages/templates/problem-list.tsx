/** Problems named before or by the API, as one alert with one line each. */
export function ProblemList({ title, problems }: { title: string; problems: string[] }) {
  if (!problems.length) return null;
  return (
    <div className="alert alert-error problem-list" role="alert">
      <p className="problem-title">{title}</p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>{p}</li>
        ))}
      </ul>
    </div>
  );
}
