const WIDTH = 120;
const HEIGHT = 28;

/** Recent lag as a small inline line, oldest left; gaps (null) before a partition was seen are skipped. */
export function LagSparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const points = values.flatMap((value, index) => (value === null ? [] : [{ index, value }]));
  if (points.length < 2) {
    return <span className="text-xs text-slate-400 dark:text-slate-500">collecting…</span>;
  }
  const max = Math.max(1, ...points.map((point) => point.value));
  const step = WIDTH / Math.max(1, values.length - 1);
  const path = points
    .map(({ index, value }, i) => {
      const x = (index * step).toFixed(1);
      const y = (HEIGHT - 2 - (value / max) * (HEIGHT - 4)).toFixed(1);
      return `${i === 0 ? 'M' : 'L'}${x} ${y}`;
    })
    .join(' ');
  const first = points[0]?.value ?? 0;
  const last = points.at(-1)?.value ?? 0;
  return (
    <svg
      role="img"
      aria-label={`${label}: from ${first} to ${last}`}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className={last > first ? 'text-amber-500' : 'text-emerald-500'}
    >
      <path d={path} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" />
    </svg>
  );
}
