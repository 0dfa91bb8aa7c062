import {
  BenchResultFile,
  buildResultFile,
  type Figure,
  formatTable,
  formatTargets,
  medianOf,
  ratioOf,
  resultFileName,
  tableRows,
  target,
} from './report.js';

const figures: Figure[] = [
  {
    id: 'cassandra.ceiling',
    case: '2 cassandra',
    name: 'INSERT ceiling',
    unit: 'rows/s',
    samples: [20_000, 18_000, 22_000],
    warmup: [6_000],
  },
  {
    id: 'e2e.throughput',
    case: '3 end-to-end',
    name: 'synthetic run',
    unit: 'users/s',
    samples: [15_000, 14_000, 16_000],
    warmup: [],
  },
  { id: 'latency.p99.all', case: '3 end-to-end', name: 'p99', unit: 'ms', samples: [180.4], warmup: [] },
  {
    id: 'live.batches',
    case: '6 live',
    name: 'batches per client',
    unit: 'batches/s',
    samples: [],
    warmup: [],
    note: 'skipped',
  },
];

describe('bench report', () => {
  it('ratios compare medians, and are null when a side is missing', () => {
    expect(
      ratioOf(figures, 'r', 'e2e / ceiling', 'e2e.throughput', 'cassandra.ceiling', '3').value,
    ).toBeCloseTo(0.75);
    expect(ratioOf(figures, 'r', 'x', 'live.batches', 'cassandra.ceiling', '6').value).toBeNull();
    expect(ratioOf(figures, 'r', 'x', 'missing', 'cassandra.ceiling', '6').value).toBeNull();
    expect(medianOf(figures, 'e2e.throughput')).toBe(15_000);
    expect(medianOf(figures, 'live.batches')).toBeNull();
  });

  it('targets hold, miss, or say they were not measured', () => {
    expect(target('throughput', 15_000, '>=', 10_000, 'users/s')).toEqual({
      name: 'throughput',
      measured: 15_000,
      limit: '>= 10,000 users/s',
      holds: true,
    });
    expect(target('p99', 300, '<=', 250, 'ms').holds).toBe(false);
    expect(target('rss', null, '<=', 300, 'MB').holds).toBeNull();
    expect(
      formatTargets([target('p99', 300, '<=', 250, 'ms'), target('rss', null, '<=', 300, 'MB')]),
    ).toMatch(/MISSED\s+p99: 300 \(target <= 250 ms\)\n\s+NOT MEASURED\s+rss: -/);
  });

  it('prints an aligned table with median, min, max and the rounds of each figure, then the ratios', () => {
    const ratio = ratioOf(
      figures,
      'r',
      'e2e / ceiling',
      'e2e.throughput',
      'cassandra.ceiling',
      '3 end-to-end',
    );
    const lines = formatTable(tableRows(figures, [ratio])).split('\n');
    expect(lines[0]).toMatch(/^case\s+figure\s+unit\s+median\s+min\s+max\s+n$/);
    expect(lines[2]).toMatch(/^2 cassandra\s+INSERT ceiling\s+rows\/s\s+20,000\s+18,000\s+22,000\s+3$/);
    expect(lines[4]).toMatch(/p99\s+ms\s+180\s+180\s+180\s+1$/);
    expect(lines[5]).toMatch(/batches per client\s+batches\/s\s+-\s+-\s+-\s+0$/);
    expect(lines[6]).toMatch(/e2e \/ ceiling\s+x\s+0\.75$/);
    // right-aligned numbers: every figure row ends at the same column as the header
    expect(new Set([0, 2, 3, 4, 5].map((i) => lines[i]!.length)).size).toBe(1);
  });

  it('builds a result file that carries every sample and passes its schema', () => {
    const at = new Date('2026-05-01T12:04:05.678Z');
    const file = buildResultFile({
      startedAt: at,
      finishedAt: new Date(at.getTime() + 90_000),
      mode: 'quick',
      versions: { node: 'v20.19.0', kafkajs: '2.2.4', kafka: '4.1.1' },
      machine: { cpus: 2, memoryMb: 24_000, loadAverageStart: [1, 1, 1], loadAverageEnd: [2, 2, 2] },
      settings: { produce: { records: 30_000 } },
      figures,
      ratios: [ratioOf(figures, 'e2e.ratio', 'e2e / ceiling', 'e2e.throughput', 'cassandra.ceiling', '3')],
      targets: [target('throughput', 15_000, '>=', 10_000, 'users/s')],
      notes: ['6 live: skipped: live gateway not present'],
    });
    const roundTripped = BenchResultFile.parse(JSON.parse(JSON.stringify(file)));
    expect(roundTripped.startedAt).toBe('2026-05-01T12:04:05.678Z');
    expect(roundTripped.figures[0]).toMatchObject({
      samples: [20_000, 18_000, 22_000],
      warmup: [6_000],
      summary: { median: 20_000, min: 18_000, max: 22_000, n: 3 },
    });
    expect(roundTripped.figures[3]!.summary).toBeNull();
    expect(roundTripped.ratios[0]!.value).toBeCloseTo(0.75);
    expect(() => BenchResultFile.parse({ ...file, mode: 'slow' })).toThrow();
    expect(resultFileName(at)).toBe('2026-05-01T12-04-05Z.json');
  });
});
