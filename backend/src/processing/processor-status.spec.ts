import type { ConsumerState } from './kafka-batch.server.js';
import { ProcessorStatus, WRITE_FAILURE_GRACE_MS } from './processor-status.js';

describe('ProcessorStatus readiness', () => {
  let joined: boolean;
  let status: ProcessorStatus;
  const consumer: ConsumerState = {
    joined: () => joined,
    ownedPartitions: () => [
      { topic: 'raw_users', partition: 0, lag: 3, inFlight: 2, paused: false, fetchedAgoMs: 40 },
    ],
  };
  const t0 = 1_000_000;

  beforeEach(() => {
    joined = true;
    status = new ProcessorStatus();
    status.watchConsumer(consumer);
  });

  it('is not ready before a consumer is watched or while it has not joined its group', () => {
    expect(new ProcessorStatus().readiness(t0)).toMatchObject({ ready: false });
    joined = false;
    expect(status.readiness(t0)).toMatchObject({
      ready: false,
      consumer: { joined: false },
      reasons: [expect.stringMatching(/not joined/)],
    });
  });

  it('is ready once joined with no write attempted yet, and stays ready while idle after a success', () => {
    expect(status.readiness(t0)).toMatchObject({
      ready: true,
      consumer: {
        joined: true,
        assignedPartitions: 1,
        partitions: [
          { topic: 'raw_users', partition: 0, lag: 3, inFlight: 2, paused: false, fetchedAgoMs: 40 },
        ],
      },
      writes: { status: 'idle' },
    });
    status.writeSucceeded(t0);
    expect(status.readiness(t0 + 3_600_000)).toMatchObject({ ready: true, writes: { status: 'ok' } });
  });

  it('stays ready through failures shorter than the grace period, then not until a write succeeds', () => {
    status.writeSucceeded(t0);
    status.writeFailed(t0 + 1_000);
    status.writeFailed(t0 + 5_000);
    expect(status.readiness(t0 + 1_000 + WRITE_FAILURE_GRACE_MS - 1)).toMatchObject({
      ready: true,
      writes: { status: 'failing' },
    });
    expect(status.readiness(t0 + 1_000 + WRITE_FAILURE_GRACE_MS)).toMatchObject({
      ready: false,
      reasons: [expect.stringMatching(/Cassandra writes have been failing for 30 s/)],
    });
    status.writeSucceeded(t0 + 40_000);
    expect(status.readiness(t0 + 40_000)).toMatchObject({ ready: true, writes: { status: 'ok' } });
  });

  it('counts a failure streak from its first failure when no write ever succeeded', () => {
    status.writeFailed(t0);
    expect(status.readiness(t0 + WRITE_FAILURE_GRACE_MS)).toMatchObject({ ready: false });
  });
});
