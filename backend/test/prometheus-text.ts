/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every sample line must parse and
 * belong to a family declared by `# TYPE`. (parse-prometheus-text-format, the npm parser, merges the series of a
 * labelled histogram into one and drops their _sum and _count, so it cannot check ours.)
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
const SUFFIXES = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] } as const;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) {
      throw new Error(`bad labels in: ${line}`);
    }
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseValue(text: string, line: string): number {
  // as Prometheus reads them (Go's ParseFloat): NaN and Inf in any case (prom-client writes `Nan`)
  const special = text.toLowerCase();
  if (special === 'nan') {
    return NaN;
  }
  if (special === '+inf' || special === 'inf') {
    return Infinity;
  }
  if (special === '-inf') {
    return -Infinity;
  }
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) {
    throw new Error(`bad value in: ${line}`);
  }
  return value;
}

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const familyOf = (name: string): Family | undefined => {
    for (const family of families.values()) {
      const suffixes = family.type === 'histogram' || family.type === 'summary' ? SUFFIXES[family.type] : [];
      if (name === family.name || suffixes.some((suffix) => name === family.name + suffix)) {
        return family;
      }
    }
    return undefined;
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      continue;
    }
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      const family = families.get(name) ?? { name, type: 'untyped', help: '', samples: [] };
      if (kind === 'HELP') {
        family.help = rest;
      } else {
        family.type = rest as Family['type'];
      }
      families.set(name, family);
      continue;
    }
    if (line.startsWith('#')) {
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) {
      throw new Error(`not a sample line: ${line}`);
    }
    const [, name, labels, value] = match as unknown as [string, string, string | undefined, string];
    const family = familyOf(name);
    if (!family) {
      throw new Error(`sample of an undeclared family: ${line}`);
    }
    family.samples.push({
      name,
      labels: labels ? parseLabels(labels, line) : {},
      value: parseValue(value, line),
    });
  }
  return families;
}

/** The value of the one sample named `name` whose labels include `labels`; throws when none or several match. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number {
  const matches = [...families.values()]
    .flatMap((family) => family.samples)
    .filter(
      (sample) =>
        sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    );
  if (matches.length !== 1) {
    throw new Error(`${matches.length} samples of ${name} ${JSON.stringify(labels)}`);
  }
  return matches[0]!.value;
}
