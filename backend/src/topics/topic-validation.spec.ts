import {
  AddPartitionsRequest,
  AlterTopicConfigsRequest,
  BrowseMessagesQuery,
  CreateTopicRequest,
  ProduceMessageRequest,
  PRODUCE_MAX_VALUE_BYTES,
  TopicListQuery,
} from '@userstream/contracts';
import { GroupIdPipe, TopicNamePipe } from './topic-params.pipe.js';
import { TopicException, TopicExceptionCode } from '#src/kafka/topic.exception.js';

const fields = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('topic names', () => {
  const pipe = new TopicNamePipe();

  it.each(['orders', 'a.b_c-D9', 'x'.repeat(249)])('accepts %s', (name) => {
    expect(pipe.transform(name)).toBe(name);
  });

  it.each([
    ['a slash', 'a/b'],
    ['249+ chars', 'x'.repeat(250)],
    ['300 chars', 'y'.repeat(300)],
    ['"."', '.'],
    ['".."', '..'],
    ['empty', ''],
    ['a space', 'a b'],
    ['SQL', "x'; DROP TABLE users;--"],
    ['markup', '<script>alert(1)</script>'],
    ['a null byte', 'a\u0000b'],
    ['unicode', 'tópic'],
  ])('refuses %s with INVALID_TOPIC_NAME, without echoing it', (_what, name) => {
    try {
      pipe.transform(name);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(TopicException);
      expect((error as TopicException).code).toBe(TopicExceptionCode.INVALID_TOPIC_NAME);
      expect((error as TopicException).getStatus()).toBe(400);
      if (name.length > 3) {
        expect(JSON.stringify((error as TopicException).getResponse())).not.toContain(name);
      }
    }
  });

  it('refuses group ids with control characters or over 255 chars', () => {
    const pipe = new GroupIdPipe();
    expect(pipe.transform('userstream-processor')).toBe('userstream-processor');
    expect(() => pipe.transform('a\nb')).toThrow(TopicException);
    expect(() => pipe.transform('g'.repeat(256))).toThrow(TopicException);
  });
});

describe('CreateTopicRequest', () => {
  const valid = { name: 'orders', partitions: 3, replicationFactor: 1 };

  it('normalizes allow-listed settings to strings', () => {
    expect(
      CreateTopicRequest.parse({
        ...valid,
        configs: { 'retention.ms': 60000, 'retention.bytes': '-1', 'cleanup.policy': 'compact,delete' },
      }).configs,
    ).toEqual({ 'retention.ms': '60000', 'retention.bytes': '-1', 'cleanup.policy': 'compact,delete' });
  });

  it.each([
    ['negative partitions', { ...valid, partitions: -1 }, 'partitions'],
    ['zero partitions', { ...valid, partitions: 0 }, 'partitions'],
    ['too many partitions', { ...valid, partitions: 1001 }, 'partitions'],
    ['fractional partitions', { ...valid, partitions: 1.5 }, 'partitions'],
    ['a reserved name', { ...valid, name: '__mine' }, 'name'],
    ['an unknown setting', { ...valid, configs: { 'unclean.leader.election.enable': 'true' } }, 'configs'],
    [
      'a bad cleanup policy',
      { ...valid, configs: { 'cleanup.policy': 'forever' } },
      'configs.cleanup.policy',
    ],
    ['a non-numeric retention', { ...valid, configs: { 'retention.ms': '1d' } }, 'configs.retention.ms'],
    ['a retention below -1', { ...valid, configs: { 'retention.ms': -2 } }, 'configs.retention.ms'],
    ['a tiny segment', { ...valid, configs: { 'segment.bytes': 1024 } }, 'configs.segment.bytes'],
    ['a zero min ISR', { ...valid, configs: { 'min.insync.replicas': 0 } }, 'configs.min.insync.replicas'],
    ['an unknown codec', { ...valid, configs: { 'compression.type': 'brotli' } }, 'configs.compression.type'],
    ['an unknown field', { ...valid, owner: 'me' }, ''],
  ])('refuses %s', (_what, body, field) => {
    const result = CreateTopicRequest.safeParse(body);
    expect(result.success).toBe(false);
    expect(fields(result)).toContain(field);
  });
});

describe('changes', () => {
  it('alters allow-listed settings only, null meaning back to default, and at least one', () => {
    expect(
      AlterTopicConfigsRequest.parse({ configs: { 'retention.ms': null, 'max.message.bytes': 2048 } }),
    ).toEqual({
      configs: { 'retention.ms': null, 'max.message.bytes': '2048' },
    });
    expect(AlterTopicConfigsRequest.safeParse({ configs: {} }).success).toBe(false);
    expect(AlterTopicConfigsRequest.safeParse({ configs: { 'log.dirs': '/tmp' } }).success).toBe(false);
  });

  it('adds partitions by a positive count', () => {
    expect(AddPartitionsRequest.safeParse({ count: 4 }).success).toBe(true);
    expect(AddPartitionsRequest.safeParse({ count: -4 }).success).toBe(false);
    expect(AddPartitionsRequest.safeParse({ count: '4' }).success).toBe(false);
  });
});

describe('queries', () => {
  it('reads flags as words, not JavaScript truthiness', () => {
    expect(TopicListQuery.parse({ includeInternal: 'false' }).includeInternal).toBe(false);
    expect(TopicListQuery.parse({ includeInternal: 'true' }).includeInternal).toBe(true);
    expect(TopicListQuery.safeParse({ includeInternal: 'maybe' }).success).toBe(false);
  });

  it('bounds browsing and takes either an offset or a timestamp', () => {
    expect(BrowseMessagesQuery.parse({})).toEqual({
      limit: 50,
      maxBytes: 1_048_576,
      direction: 'newest',
      unmasked: false,
    });
    expect(BrowseMessagesQuery.parse({ timestamp: '2025-01-02T03:04:05.006Z' }).timestamp).toBe(
      Date.parse('2025-01-02T03:04:05.006Z'),
    );
    expect(BrowseMessagesQuery.parse({ timestamp: '1700000000000' }).timestamp).toBe(1_700_000_000_000);
    for (const bad of [
      { limit: '501' },
      { limit: '0' },
      { maxBytes: '10' },
      { offset: '-1' },
      { offset: '1e3' },
      { partition: '-1' },
      { timestamp: 'yesterday' },
      { direction: 'backward' },
      { offset: '1', timestamp: '1' },
      { unmasked: 'please' },
    ]) {
      expect(BrowseMessagesQuery.safeParse(bad).success).toBe(false);
    }
  });
});

describe('ProduceMessageRequest', () => {
  it('takes a string or JSON value with bounded key, headers and size', () => {
    expect(ProduceMessageRequest.safeParse({ value: 'hello' }).success).toBe(true);
    expect(
      ProduceMessageRequest.safeParse({ value: { a: [1, null] }, key: 'k', headers: { h: 'v' } }).success,
    ).toBe(true);
    expect(ProduceMessageRequest.safeParse({}).success).toBe(false);
    expect(ProduceMessageRequest.safeParse({ value: 'x'.repeat(PRODUCE_MAX_VALUE_BYTES + 1) }).success).toBe(
      false,
    );
    expect(
      ProduceMessageRequest.safeParse({ value: 'é'.repeat(PRODUCE_MAX_VALUE_BYTES / 2 + 1) }).success,
    ).toBe(false);
    expect(ProduceMessageRequest.safeParse({ value: 'v', headers: { h: 1 } }).success).toBe(false);
    expect(ProduceMessageRequest.safeParse({ value: 'v', partition: -1 }).success).toBe(false);
  });
});
