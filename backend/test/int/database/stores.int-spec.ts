import { Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { intConfig, uniqueName } from '../../int-env.js';
import { migrateCassandra } from '#src/cassandra/cassandra-migrator.js';
import { IngestionRunEntity } from '#src/run-store/ingestion-run.entity.js';
import { dataSourceOptions, runPostgresMigrations } from '#src/database/data-source.js';
import { reachRing } from '#src/cassandra/cassandra.module.js';

const config = intConfig();

describe('the real stores', () => {
  it('PostgreSQL: migrations apply idempotently and a run row is written and read back', async () => {
    const dataSource = await new DataSource(dataSourceOptions(config)).initialize();
    try {
      await runPostgresMigrations(dataSource);
      expect(await runPostgresMigrations(dataSource)).toEqual([]);
      const runs = dataSource.getRepository(IngestionRunEntity);
      const saved = await runs.save(
        runs.create({ state: 'pending', source: 'synthetic', params: { ratePerSecond: 10 } }),
      );
      const read = await runs.findOneByOrFail({ id: saved.id });
      expect(read).toMatchObject({
        state: 'pending',
        source: 'synthetic',
        params: { ratePerSecond: 10 },
        stored: 0,
      });
      await runs.delete({ id: saved.id });
    } finally {
      await dataSource.destroy();
    }
  });

  it('Cassandra: migrations apply idempotently and a user row is written and read back', async () => {
    const client = new Client(reachRing(config.cassandra));
    try {
      await migrateCassandra(client, config.cassandra);
      expect((await migrateCassandra(client, config.cassandra)).applied).toEqual([]);
      const id = uniqueName('user');
      const table = `${config.cassandra.keyspace}.users`;
      await client.execute(
        `INSERT INTO ${table} (id, first_name, postcode) VALUES (?, ?, ?)`,
        [id, 'Zoë', '0015'],
        {
          prepare: true,
        },
      );
      const row = (
        await client.execute(`SELECT * FROM ${table} WHERE id = ?`, [id], { prepare: true })
      ).first();
      expect(row?.['first_name']).toBe('Zoë');
      expect(row?.['postcode']).toBe('0015');
      await client.execute(`DELETE FROM ${table} WHERE id = ?`, [id], { prepare: true });
    } finally {
      await client.shutdown();
    }
  });

  it('Kafka: a keyed message is produced and consumed with its headers', async () => {
    const kafka = new Kafka({
      clientId: 'int-test',
      brokers: config.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    const topic = uniqueName('int-roundtrip');
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true });
    const consumer = kafka.consumer({ groupId: uniqueName('int-group') });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await producer.send({
        topic,
        acks: -1,
        messages: [
          { key: 'user-1', value: JSON.stringify({ hello: 'kafka' }), headers: { 'x-run-id': 'r1' } },
        ],
      });
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = await new Promise<{ key: string; value: string; header: string }>((resolve) => {
        void consumer.run({
          eachMessage: ({ message }) => {
            resolve({
              key: String(message.key),
              value: String(message.value),
              header: String(message.headers?.['x-run-id']),
            });
            return Promise.resolve();
          },
        });
      });
      expect(received).toEqual({ key: 'user-1', value: '{"hello":"kafka"}', header: 'r1' });
    } finally {
      await consumer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    }
  });
});
