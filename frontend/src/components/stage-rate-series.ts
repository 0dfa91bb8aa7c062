import type { StageRates } from '@userstream/contracts';
import type { ChartSeries } from './line-chart';

/** Produced, stored and dead-lettered per second, in the colours every rate chart of the dashboard gives them. */
export function stageRateSeries(points: readonly { rates: StageRates }[]): ChartSeries[] {
  return [
    {
      key: 'produced',
      label: 'produced/s',
      stroke: 'stroke-sky-500',
      swatch: 'bg-sky-500',
      values: points.map((p) => p.rates.produced),
    },
    {
      key: 'stored',
      label: 'stored/s',
      stroke: 'stroke-emerald-500',
      swatch: 'bg-emerald-500',
      values: points.map((p) => p.rates.stored),
    },
    {
      key: 'dead',
      label: 'dead-lettered/s',
      stroke: 'stroke-rose-500',
      swatch: 'bg-rose-500',
      values: points.map((p) => p.rates.deadLettered),
    },
  ];
}
