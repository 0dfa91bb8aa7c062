import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { type RawUser, RawUserHeaders } from '@userstream/contracts';
import { intConfig, uniqueName } from '../../int-env.js';
import { waitFor } from '../../processes.js';
import { createApp } from '#src/bootstrap.js';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';
import { KafkaAdminRepository } from '#src/kafka/kafka-admin.repository.js';
import { deriveUserId } from '#src/users/user-identity.js';
import { SEARCH_INDEXER_GROUP_SUFFIX, UsersSearchIndexer } from '#src/users/users-search.indexer.js';
import { UsersRepository } from '#src/users/users.repository.js';

const config = intConfig();

describe('replaying older records', () => {
  let app: INestApplication;
  let kafka: Kafka;

  beforeAll(async () => {
    app = await createApp(config);
    await app.init();
    await app.startAllMicroservices();
    // it starts from the end of the processed topic: let it be there before anything is sent
    await app.get(UsersSearchIndexer).joined;
    kafka = new Kafka({ clientId: 'int-replay', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
  });

  afterAll(async () => {
    await app.close();
  });

  /** Resolves once `groupId` has committed everything `topic` holds now. */
  async function drained(groupId: string, topic: string): Promise<void> {
    const kafkaAdmin = app.get(KafkaAdminRepository);
    await waitFor(
      async () => {
        const committed = new Map(
          ((await kafkaAdmin.committedOffsets([groupId], topic)).get(groupId) ?? []).map(
            ({ partition, offset }) => [partition, offset],
          ),
        );
        const ends = await kafkaAdmin.topicWatermarks(topic, [...Array(config.kafka.partitions).keys()]);
        const behind = ends.filter(({ partition, high }) => {
          const done = committed.get(partition) ?? -1;
          return high !== 0 && done < high;
        });
        return behind.length === 0 ? true : undefined;
      },
      { timeoutMs: 90_000, what: `${groupId} to catch up on ${topic}` },
    );
  }

  it('never overwrites a newer version of a user, in its row, its search entry or the counts', async () => {
    const [user] = (await new SyntheticSource({ seed: uniqueName('replay') }).next(1)) as RawUser[];
    const id = deriveUserId(user!);
    const older = { ...user!, location: { ...user!.location!, country: uniqueName('Oldland') } };
    const newer = { ...user!, location: { ...user!.location!, country: uniqueName('Newland') } };
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const send = (version: RawUser, ingestedAt: Date) =>
      producer.send({
        topic: config.kafka.topics.rawUsers,
        acks: -1,
        messages: [
          {
            key: id,
            value: JSON.stringify(version),
            headers: {
              [RawUserHeaders.source]: 'test',
              [RawUserHeaders.ingestedAt]: ingestedAt.toISOString(),
            },
          },
        ],
      });
    const users = app.get(UsersRepository);
    const countryOf = async () => (await users.findById(id))?.country;
    const earlier = new Date(Date.now() - 60_000);
    try {
      await send(older, earlier);
      await waitFor(async () => ((await countryOf()) === older.location.country ? true : undefined));
      await send(newer, new Date());
      await waitFor(async () => ((await countryOf()) === newer.location.country ? true : undefined));
      // the older record once more, as a group reset to earlier offsets or a redrive would deliver it
      await send(older, earlier);
      await drained(config.kafka.processorGroupId, config.kafka.topics.rawUsers);
      await drained(
        config.kafka.processorGroupId + SEARCH_INDEXER_GROUP_SUFFIX,
        config.kafka.topics.processedUsers,
      );
    } finally {
      await producer.disconnect();
    }

    expect(await countryOf()).toBe(newer.location.country);
    const found = async (country: string) => (await users.search({ country }, 10)).rows.map((row) => row.id);
    expect(await found(newer.location.country)).toEqual([id]);
    expect(await found(older.location.country)).toEqual([]);
    const { counts } = await users.tally();
    expect(counts.country.get(newer.location.country)).toBe(1);
    expect(counts.country.has(older.location.country)).toBe(false);
  });
});
