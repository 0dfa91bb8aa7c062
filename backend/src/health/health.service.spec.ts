import { HEALTH_CACHE_MS, HealthService } from './health.service.js';
import type { KafkaAdminRepository } from '#src/kafka/kafka-admin.repository.js';
import type { HealthRepository } from './health.repository.js';

describe('HealthService', () => {
  let pings: number;
  const kafka = { ping: () => Promise.resolve(`kafka ${++pings}`) } as unknown as KafkaAdminRepository;
  const repository = {
    pingCassandra: () => Promise.resolve('cassandra'),
    pingPostgres: () => Promise.reject(new Error('connection refused')),
  } as unknown as HealthRepository;

  beforeEach(() => {
    pings = 0;
  });

  it('reports each store, degraded when one is down', async () => {
    const health = await new HealthService(repository, kafka).check();
    expect(health.status).toBe('degraded');
    expect(health.services.kafka).toMatchObject({ status: 'up', detail: 'kafka 1' });
    expect(health.services.postgres).toMatchObject({ status: 'down', error: 'connection refused' });
  });

  it('shares one check between callers for a short while, then checks again', async () => {
    const service = new HealthService(repository, kafka);
    const at = 1_000_000;
    await Promise.all([service.check(at), service.check(at)]);
    await service.check(at + HEALTH_CACHE_MS - 1);
    expect(pings).toBe(1);
    expect((await service.check(at + HEALTH_CACHE_MS)).services.kafka.detail).toBe('kafka 2');
  });

  it('answers liveness without asking any store, so an outage never fails it', () => {
    const kafkaDown = { ping: () => Promise.reject(new Error('down')) } as unknown as KafkaAdminRepository;
    const down = {
      pingCassandra: () => Promise.reject(new Error('down')),
      pingPostgres: () => Promise.reject(new Error('down')),
    } as unknown as HealthRepository;
    expect(new HealthService(down, kafkaDown).liveness()).toEqual({
      status: 'ok',
      uptimeSeconds: expect.any(Number),
    });
  });
});
