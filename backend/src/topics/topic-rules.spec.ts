import {
  applyConfigPatch,
  checkCapacity,
  checkConfigsFit,
  collisionKey,
  isInternalTopic,
  MAX_REPLICAS_PER_BROKER,
  searchAndPage,
} from './topic-rules.js';
import { TopicException } from '#src/kafka/topic.exception.js';
import type { ConfigEntry } from '#src/kafka/kafka-admin.repository.js';

const entry = (name: string, value: string | null, source: ConfigEntry['source']): ConfigEntry => ({
  name,
  value,
  source,
  isDefault: source === 'default',
  readOnly: false,
  sensitive: value === null,
});

describe('topic kinds', () => {
  it("knows Kafka's internal topics", () => {
    expect(isInternalTopic('__consumer_offsets')).toBe(true);
    expect(isInternalTopic('_schemas')).toBe(false);
  });

  it("sees names that differ only by '.' and '_' as colliding", () => {
    expect(collisionKey('a.b_c')).toBe(collisionKey('a_b.c'));
  });
});

describe('searchAndPage', () => {
  const names = ['beta', 'Alpha', 'gamma', 'alphabet', 'delta'];

  it('filters case-insensitively, sorts by name and cuts one page', () => {
    expect(searchAndPage(names, (n) => n, { search: 'ALPHA', page: 1, pageSize: 10 })).toEqual({
      items: ['Alpha', 'alphabet'],
      total: 2,
    });
    expect(searchAndPage(names, (n) => n, { page: 2, pageSize: 2 })).toEqual({
      items: ['beta', 'delta'],
      total: 5,
    });
    expect(searchAndPage(names, (n) => n, { page: 9, pageSize: 2 })).toEqual({ items: [], total: 5 });
  });
});

describe('applyConfigPatch', () => {
  const current = [
    entry('retention.ms', '1000', 'topic'),
    entry('message.timestamp.type', 'LogAppendTime', 'topic'),
    entry('cleanup.policy', 'delete', 'default'),
    entry('segment.bytes', '1073741824', 'static-broker'),
  ];

  it('keeps the other overrides (allow-listed or not), sets new values and drops nulls', () => {
    expect(applyConfigPatch(current, { 'retention.ms': null, 'cleanup.policy': 'compact' })).toEqual({
      'message.timestamp.type': 'LogAppendTime',
      'cleanup.policy': 'compact',
    });
  });

  it('refuses when a sensitive override could not be carried over', () => {
    expect(() => applyConfigPatch([entry('secret', null, 'topic')], { 'retention.ms': '5' })).toThrow(
      TopicException,
    );
  });
});

describe('checkConfigsFit', () => {
  it('refuses min.insync.replicas above the replication factor', () => {
    expect(() => checkConfigsFit({ 'min.insync.replicas': '2' }, 1)).toThrow(
      /cannot exceed the replication factor/,
    );
    expect(() => checkConfigsFit({ 'min.insync.replicas': '1' }, 1)).not.toThrow();
    expect(() => checkConfigsFit({ 'min.insync.replicas': null }, 1)).not.toThrow();
  });
});

describe('checkCapacity', () => {
  it("refuses partitions beyond what the cluster's brokers are sized for", () => {
    const full = MAX_REPLICAS_PER_BROKER * 2;
    expect(() => checkCapacity({ brokers: 2, replicas: full - 10 }, 10)).not.toThrow();
    expect(() => checkCapacity({ brokers: 2, replicas: full - 10 }, 11)).toThrow(/at most|sized for/);
    expect(() => checkCapacity({ brokers: 1, replicas: null }, 1_000_000)).not.toThrow();
  });
});
