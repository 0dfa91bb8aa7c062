'use client';

import { type KeyboardEvent, type PointerEvent, useState } from 'react';
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

/** The index of the time nearest `t` in ascending `times` (binary search: charts hold up to ~1,500 points). */
function nearestIndex(times: number[], t: number): number {
  let low = 0;
  let high = times.length - 1;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (times[mid]! <= t) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return Math.abs(times[high]! - t) < Math.abs(times[low]! - t) ? high : low;
}

/** The smallest 1, 2 or 5 times a power of ten at or above `value`. */
function niceCeil(value: number): number {
  if (value <= 0) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * power) {
      return step * power;
    }
  }
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
    if (segment.length === 0) {
      return;
    }
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
    if (segment.length === 0) {
      firstX = x;
    }
    lastX = x;
    segment.push(`${x.toFixed(1)},${(H - (value / max) * H).toFixed(1)}`);
  }
  close();
  return { line, area };
}

/**
 * A light SVG line (or area) chart over time. The plot stretches to its box; strokes keep their width;
 * axis labels are HTML so they stay crisp at any size. Pointing at the plot (or focusing it and using the
 * arrow keys) shows a crosshair and the time and value of each series there, with any `details` rows.
 */
export function LineChart({
  times,
  series,
  formatValue,
  label,
  height = 'h-48',
  minScale = 10,
  testId,
  details,
}: {
  times: number[];
  series: ChartSeries[];
  formatValue: (value: number) => string;
  label: string;
  height?: string;
  /** The vertical scale never goes below this, so an idle chart does not magnify noise. */
  minScale?: number;
  testId?: string;
  /** More rows for the tooltip at point `index` (e.g. the lag in time next to the lag in records). */
  details?: (index: number) => { label: string; value: string }[];
}) {
  // the time pointed at, not an index: the 10 min view shifts its points every second
  const [hover, setHover] = useState<number>();
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
  const shown = hover !== undefined && times.length > 0 ? nearestIndex(times, hover) : undefined;
  const pointAt = (event: PointerEvent<HTMLDivElement>) => {
    if (times.length === 0) {
      return;
    }
    const box = event.currentTarget.getBoundingClientRect();
    setHover(t0 + ((event.clientX - box.left) / box.width) * span);
  };
  const step = (event: KeyboardEvent<HTMLDivElement>) => {
    const move = event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowRight' ? 1 : 0;
    if (move === 0 || times.length === 0) {
      return;
    }
    event.preventDefault();
    const index = Math.min(times.length - 1, Math.max(0, (shown ?? times.length - 1) + move));
    setHover(times[index]);
  };
  const x = shown === undefined ? 0 : ((times[shown]! - t0) / span) * 100;
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
        <div
          tabIndex={0}
          aria-label={`${label}: use the arrow keys to read values`}
          data-testid={testId ? `${testId}-plot` : undefined}
          onPointerMove={pointAt}
          onPointerLeave={() => setHover(undefined)}
          onKeyDown={step}
          onFocus={() => setHover((t) => t ?? times.at(-1))}
          onBlur={() => setHover(undefined)}
          className="relative h-full w-full touch-none rounded-sm focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
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
          {shown !== undefined && (
            <>
              <div
                aria-hidden
                className="pointer-events-none absolute inset-y-0 w-px bg-slate-400 dark:bg-slate-500"
                style={{ left: `${x}%` }}
              />
              <div
                role="tooltip"
                data-testid={testId ? `${testId}-tooltip` : undefined}
                className={`pointer-events-none absolute top-1 z-10 min-w-36 rounded-md border border-slate-200 bg-white/95 px-2 py-1.5 text-xs shadow-md dark:border-slate-700 dark:bg-slate-900/95 ${
                  x > 60 ? '-translate-x-full -ml-2' : 'ml-2'
                }`}
                style={{ left: `${x}%` }}
              >
                <p className="mb-1 font-medium tabular-nums">{formatTime(times[shown]!)}</p>
                <dl className="grid grid-cols-[auto_auto] gap-x-3 gap-y-0.5">
                  {series.map((s) => {
                    const value = s.values[shown];
                    return (
                      <div key={s.key} className="contents">
                        <dt className="flex items-center gap-1 whitespace-nowrap text-slate-500 dark:text-slate-400">
                          <span aria-hidden className={`h-2 w-2 rounded-full ${s.swatch}`} />
                          {s.label}
                        </dt>
                        <dd className="text-right tabular-nums">
                          {value === null || value === undefined ? 'no data' : formatValue(value)}
                        </dd>
                      </div>
                    );
                  })}
                  {details?.(shown).map((row) => (
                    <div key={row.label} className="contents">
                      <dt className="whitespace-nowrap text-slate-500 dark:text-slate-400">{row.label}</dt>
                      <dd className="text-right tabular-nums">{row.value}</dd>
                    </div>
                  ))}
                </dl>
              </div>
            </>
          )}
        </div>
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
