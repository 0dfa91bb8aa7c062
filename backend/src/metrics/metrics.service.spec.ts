import { parsePrometheusText, sampleValue } from '../../test/prometheus-text.js';
import { MetricsService } from './metrics.service.js';

/** One sample line of the exposition, e.g. `userstream_records_stored_total{stream="users"} 3`. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('MetricsService', () => {
  let metrics: MetricsService;
  const scrape = async () => (await metrics.scrape()).body;

  beforeEach(() => {
    metrics = new MetricsService();
  });

  it('declares the pipeline instruments with Prometheus names, types and bounded labels', async () => {
    const text = await scrape();
    const types = Object.fromEntries(
      [...text.matchAll(/^# TYPE (userstream_\w+) (\w+)$/gm)].map(([, name, type]) => [name, type]),
    );
    expect(types).toEqual({
      userstream_records_fetched_total: 'counter',
      userstream_records_produced_total: 'counter',
      userstream_records_processed_total: 'counter',
      userstream_records_stored_total: 'counter',
      userstream_records_dead_lettered_total: 'counter',
      userstream_records_handed_over_total: 'counter',
      userstream_ingest_to_stored_seconds: 'histogram',
      userstream_cassandra_write_duration_seconds: 'histogram',
      userstream_cassandra_write_errors_total: 'counter',
      userstream_kafka_consumer_lag_records: 'gauge',
    });
    // known label values are there from the start, at 0, so rates work before the first record
    expect(sample(text, 'userstream_records_stored_total{stream="users"}')).toBe(0);
    expect(sample(text, 'userstream_records_handed_over_total{stream="seed_users"}')).toBe(0);
    expect(sample(text, 'userstream_records_fetched_total{source="synthetic"}')).toBe(0);
    expect(
      sample(text, 'userstream_records_dead_lettered_total{stream="seed_users",reason="store_refused"}'),
    ).toBe(0);
    // the runtime's own: event-loop lag, heap, GC
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram$/m);
  });

  it('counts records in tallies handed to the counters at each scrape, never losing or repeating any', async () => {
    metrics.recordsFetched('synthetic', 500);
    metrics.recordsProduced('synthetic', 500);
    metrics.recordsStored('users', 3);
    metrics.recordsDeadLettered('users', 'invalid', 2);
    let text = await scrape();
    expect(sample(text, 'userstream_records_fetched_total{source="synthetic"}')).toBe(500);
    expect(sample(text, 'userstream_records_produced_total{source="synthetic"}')).toBe(500);
    expect(sample(text, 'userstream_records_stored_total{stream="users"}')).toBe(3);
    expect(sample(text, 'userstream_records_dead_lettered_total{stream="users",reason="invalid"}')).toBe(2);
    // processed = stored + dead-lettered
    expect(sample(text, 'userstream_records_processed_total{stream="users"}')).toBe(5);

    metrics.recordsStored('users', 1);
    text = await scrape();
    expect(sample(text, 'userstream_records_stored_total{stream="users"}')).toBe(4);
    text = await scrape();
    expect(sample(text, 'userstream_records_stored_total{stream="users"}')).toBe(4);
  });

  it('observes latencies in seconds and counts write errors by kind', async () => {
    const now = Date.now();
    metrics.observeIngestToStored('users', now - 1_500, now);
    metrics.observeWrite('users', 0.003);
    metrics.writeFailed('users', 'writeTimeout');
    const text = await scrape();
    expect(sample(text, 'userstream_ingest_to_stored_seconds_sum{stream="users"}')).toBe(1.5);
    expect(sample(text, 'userstream_ingest_to_stored_seconds_bucket{le="1",stream="users"}')).toBe(0);
    expect(sample(text, 'userstream_ingest_to_stored_seconds_bucket{le="2.5",stream="users"}')).toBe(1);
    expect(sample(text, 'userstream_cassandra_write_duration_seconds_count{stream="users"}')).toBe(1);
    expect(
      sample(text, 'userstream_cassandra_write_duration_seconds_bucket{le="0.005",stream="users"}'),
    ).toBe(1);
    expect(sample(text, 'userstream_cassandra_write_errors_total{stream="users",kind="writeTimeout"}')).toBe(
      1,
    );
  });

  it('reports the lag of the partitions the consumer owns now, dropping those it lost', async () => {
    let owned = [
      { topic: 'raw_users', partition: 0, lag: 12 },
      { topic: 'raw_users', partition: 1, lag: 0 },
    ];
    metrics.watchConsumerLag(() => owned);
    let text = await scrape();
    expect(sample(text, 'userstream_kafka_consumer_lag_records{topic="raw_users",partition="0"}')).toBe(12);
    expect(sample(text, 'userstream_kafka_consumer_lag_records{topic="raw_users",partition="1"}')).toBe(0);
    owned = [{ topic: 'raw_users', partition: 1, lag: 4 }];
    text = await scrape();
    expect(sample(text, 'userstream_kafka_consumer_lag_records{topic="raw_users",partition="0"}')).toBe(
      undefined,
    );
    expect(sample(text, 'userstream_kafka_consumer_lag_records{topic="raw_users",partition="1"}')).toBe(4);
  });

  it('keeps one registry per service, so two apps in one process do not collide', async () => {
    const other = new MetricsService();
    other.recordsStored('users', 7);
    expect(sample(await scrape(), 'userstream_records_stored_total{stream="users"}')).toBe(0);
    expect(sample((await other.scrape()).body, 'userstream_records_stored_total{stream="users"}')).toBe(7);
  });

  it('writes an exposition a strict parser reads, each histogram series with its own _sum and _count', async () => {
    metrics.observeWrite('users', 0.002);
    metrics.observeWrite('seed_users', 0.2);
    metrics.observeWrite('seed_users', 0.3);
    const families = parsePrometheusText(await scrape());
    expect(families.get('userstream_cassandra_write_duration_seconds')?.type).toBe('histogram');
    expect(
      sampleValue(families, 'userstream_cassandra_write_duration_seconds_count', { stream: 'users' }),
    ).toBe(1);
    expect(
      sampleValue(families, 'userstream_cassandra_write_duration_seconds_sum', { stream: 'seed_users' }),
    ).toBeCloseTo(0.5);
  });
});
