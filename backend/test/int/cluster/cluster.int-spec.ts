import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { ApiError, ClusterStatus, CreatedToken } from '@userstream/contracts';
import { intConfig, uniqueName } from '../../int-env.js';
import { createApp } from '#src/bootstrap.js';

const ADMIN_TOKEN = `int-admin-${randomBytes(24).toString('hex')}`;
const config = intConfig({ APP_ROLE: 'api', AUTH_MODE: 'token', AUTH_ADMIN_TOKEN: ADMIN_TOKEN });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The development stack: one KRaft broker and one Cassandra node. */
describe('GET /api/cluster (real Kafka and Cassandra)', () => {
  let app: INestApplication;
  let viewer: CreatedToken;
  const kafka = new Kafka({
    clientId: 'it-cluster',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();

  beforeAll(async () => {
    app = await createApp(config);
    await app.init();
    await admin.connect();
    viewer = CreatedToken.parse(
      (
        await request(app.getHttpServer())
          .post('/api/auth/tokens')
          .set('authorization', `Bearer ${ADMIN_TOKEN}`)
          .send({ name: uniqueName('int-cluster-viewer'), role: 'viewer' })
          .expect(201)
      ).body,
    );
  });

  afterAll(async () => {
    await admin.disconnect();
    await app?.close();
  });

  it('shows a viewer the broker as controller and the Cassandra node up, with its schema version and load', async () => {
    const status = ClusterStatus.parse(
      (
        await request(app.getHttpServer())
          .get('/api/cluster')
          .set('authorization', `Bearer ${viewer.token}`)
          .expect(200)
      ).body,
    );
    const described = await admin.describeCluster();
    expect(described.brokers).toHaveLength(1);
    const [only] = described.brokers;
    expect(status.kafka).toMatchObject({
      clusterId: described.clusterId,
      controllerId: only!.nodeId,
      underReplicatedPartitions: 0,
      offlinePartitions: 0,
      error: null,
    });
    expect(status.kafka.brokers).toEqual([
      expect.objectContaining({
        id: only!.nodeId,
        host: only!.host,
        port: only!.port,
        state: 'up',
        isController: true,
        underReplicatedPartitions: 0,
        outOfSyncReplicas: 0,
        offlinePartitions: 0,
      }),
    ]);
    // one broker holds and leads every partition: the pipeline's raw topic at least
    const [broker] = status.kafka.brokers;
    expect(broker!.partitionsLed).toBe(status.kafka.partitions);
    expect(broker!.replicas).toBe(status.kafka.partitions);
    expect(status.kafka.partitions).toBeGreaterThanOrEqual(config.kafka.partitions);

    expect(status.cassandra).toMatchObject({
      localDataCenter: config.cassandra.localDataCenter,
      schemaAgreement: true,
      error: null,
    });
    expect(status.cassandra.nodes).toEqual([
      expect.objectContaining({
        address: config.cassandra.contactPoints[0],
        dataCenter: config.cassandra.localDataCenter,
        state: 'up',
        schemaVersion: expect.stringMatching(UUID),
        releaseVersion: expect.stringMatching(/^5\./),
        load: expect.any(Number),
      }),
    ]);
    expect(status.cassandra.nodes[0]!.load).toBeGreaterThan(0);
    expect(status.problems).toEqual([]);
  });

  it('needs a token', async () => {
    const res = await request(app.getHttpServer()).get('/api/cluster').expect(401);
    expect(ApiError.parse(res.body).code).toBe('AUTH_TOKEN_MISSING');
  });
});
