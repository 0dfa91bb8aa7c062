import { formatTime } from '@/lib/format';

export interface ChartSeries {
  key: string;
  label: string;
  /** Tailwind stroke and background classes, e.g. `stroke-sky-500` / `bg-sky-500`. */
  stroke: string;
  swatch: string;
  values: (number | null)[];
  /** A Tailwind fill class (`fill-sky-500`): the area under the line is filled with it. */
  fill?: string;
}

const W = 1000;
const H = 200;

/** The smallest 1, 2 or 5 times a power of ten at or above `value`. */
function niceCeil(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

/** Line and area paths; a null value breaks the line (each piece gets its own area). */
function paths(
  times: number[],
  values: (number | null)[],
  t0: number,
  span: number,
  max: number,
): { line: string; area: string } {
  let line = '';
  let area = '';
  let segment: string[] = [];
  let firstX = 0;
  let lastX = 0;
  const close = () => {
    if (segment.length === 0) return;
    line += `M${segment.join('L')}`;
    area += `M${firstX.toFixed(1)},${H}L${segment.join('L')}L${lastX.toFixed(1)},${H}Z`;
    segment = [];
  };
  for (let i = 0; i < times.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      close();
      continue;
    }
    const x = ((times[i]! - t0) / span) * W;
    if (segment.length === 0) firstX = x;
    lastX = x;
    segment.push(`${x.toFixed(1)},${(H - (value / max) * H).toFixed(1)}`);
  }
  close();
  return { line, area };
}

/**
 * A light SVG line (or area) chart over time. The plot stretches to its box; strokes keep their width;
 * axis labels are HTML so they stay crisp at any size.
 */
export function LineChart({
  times,
  series,
  formatValue,
  label,
  height = 'h-48',
  minScale = 10,
  testId,
}: {
  times: number[];
  series: ChartSeries[];
  formatValue: (value: number) => string;
  label: string;
  height?: string;
  /** The vertical scale never goes below this, so an idle chart does not magnify noise. */
  minScale?: number;
  testId?: string;
}) {
  const t0 = times[0] ?? 0;
  const span = Math.max(1, (times.at(-1) ?? 0) - t0);
  const max = niceCeil(
    Math.max(minScale, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))),
  );
  const latest = series
    .map((s) => {
      const last = s.values.findLast((v) => v !== null);
      return `${s.label} ${last === undefined || last === null ? 'no data' : formatValue(last)}`;
    })
    .join(', ');
  return (
    <figure data-testid={testId} className="space-y-2">
      <div className={`relative ${height} pl-12`}>
        <div
          aria-hidden
          className="absolute inset-y-0 left-0 flex w-11 flex-col justify-between text-right text-[10px] text-slate-500 tabular-nums"
        >
          <span className="-translate-y-1/2">{formatValue(max)}</span>
          <span>{formatValue(max / 2)}</span>
          <span className="translate-y-1/2">0</span>
        </div>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`${label}: ${latest}`}
          className="h-full w-full overflow-visible border-b border-l border-slate-200 dark:border-slate-700"
        >
          {[0.25, 0.5, 0.75].map((f) => (
            <line
              key={f}
              x1={0}
              x2={W}
              y1={H * f}
              y2={H * f}
              className="stroke-slate-200 dark:stroke-slate-800"
              vectorEffect="non-scaling-stroke"
              strokeDasharray="4 4"
            />
          ))}
          {times.length > 1 &&
            series.map((s) => {
              const { line, area } = paths(times, s.values, t0, span, max);
              return (
                <g key={s.key}>
                  {s.fill && area && <path d={area} className={`${s.fill} opacity-15`} stroke="none" />}
                  <path
                    d={line}
                    fill="none"
                    className={s.stroke}
                    strokeWidth={1.75}
                    strokeLinejoin="round"
                    vectorEffect="non-scaling-stroke"
                  />
                </g>
              );
            })}
        </svg>
      </div>
      <figcaption className="flex flex-wrap items-center justify-between gap-2 pl-12 text-xs text-slate-500 dark:text-slate-400">
        <span className="tabular-nums">{times.length > 0 ? formatTime(t0) : ''}</span>
        <ul className="flex flex-wrap gap-3">
          {series.map((s) => (
            <li key={s.key} className="flex items-center gap-1">
              <span aria-hidden className={`h-2 w-2 rounded-full ${s.swatch}`} />
              {s.label}
            </li>
          ))}
        </ul>
        <span className="tabular-nums">{times.length > 0 ? formatTime(times.at(-1)!) : ''}</span>
      </figcaption>
    </figure>
  );
}
