import { benchKeyspace, staleKeyspaces, staleTopicStamps, stampOf, stampTime, topicPrefix } from './names.js';

const HOUR = 3_600_000;

describe('bench names', () => {
  it('derive topics, groups and keyspace from the start time, legal for Kafka and Cassandra', () => {
    const stamp = stampOf(new Date('2026-05-01T12:04:05.678Z'));
    expect(stamp).toBe('20260501t120405');
    expect(stampTime(stamp)).toEqual(new Date('2026-05-01T12:04:05Z'));
    expect(topicPrefix(stamp)).toMatch(/^[a-zA-Z0-9._-]+$/);
    expect(benchKeyspace('userstream_bench', stamp)).toMatch(/^\w{1,48}$/);
    expect(stampTime('2026-05-01')).toBeUndefined();
  });

  it('find what killed runs left behind, only when older than the limit and only bench names', () => {
    const now = new Date('2026-05-01T14:00:00Z');
    const topics = [
      'bench-20260501t120405-produce',
      'bench-20260501t120405-userstream.users.raw',
      'bench-20260501t135900-produce',
      'userstream.users.raw',
      'bench-notastamp-x',
    ];
    expect(staleTopicStamps(topics, now, HOUR)).toEqual(['20260501t120405']);
    const keyspaces = [
      'userstream_bench_20260501t120405',
      'userstream_bench_20260501t135900',
      'userstream',
      'userstream_bench',
    ];
    expect(staleKeyspaces(keyspaces, 'userstream_bench', now, HOUR)).toEqual([
      'userstream_bench_20260501t120405',
    ]);
  });
});
