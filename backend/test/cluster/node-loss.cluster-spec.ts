import type { INestApplication } from '@nestjs/common';
import type { Client } from 'cassandra-driver';
import { AssignerProtocol, ConfigResourceTypes } from 'kafkajs';
import type { Run } from '@userstream/contracts';
import { createApp } from '#src/bootstrap.js';
import { CASSANDRA } from '#src/cassandra/cassandra.module.js';
import { AppConfig } from '#src/config/app-config.js';
import {
  killServer,
  processorProgress,
  reconcileSynthetic,
  recordRow,
  sleep,
  stack,
  suiteKafka,
} from '../faults/harness.js';
import { intConfig } from '../int-env.js';
import { type BackendProcess, processorHttpPort, startProcessor, waitFor } from '../processes.js';
import { runsApi } from '../runs-api.js';

const TOTAL = 12_000;
const RATE = 400;

/**
 * Three brokers, three Cassandra nodes (`npm run test:cluster` brings them up), the API here and three processor
 * processes. Each test streams a seeded synthetic run and loses one part of the cluster halfway through.
 */
describe('cluster: losing a node mid-run', () => {
  let app: INestApplication;
  let processors: BackendProcess[] = [];

  beforeAll(async () => {
    app = await createApp(intConfig({ APP_ROLE: 'api' }));
    await app.init();
    // the ones that started are stopped in afterAll, even when another never got ready
    const starts = await Promise.allSettled([1, 2, 3].map(() => startProcessor()));
    processors = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
  });

  afterAll(async () => {
    await Promise.all(processors.map((processor) => processor.kill('SIGTERM')));
    await app?.close();
  });

  /** The processors' warnings, errors and partitions owned, counted, with when they were first and last seen. */
  function processorTrouble(since: number): string {
    const time = (ms: string) => new Date(Number(ms)).toISOString().slice(11, 19);
    return processors
      .map((processor, i) => {
        const seen = new Map<string, { count: number; first: string; last: string }>();
        for (const line of processor.output().split('\n')) {
          const entry = /"level":(\d+),"time":(\d+).*?"msg":"(.{0,200})/.exec(line);
          // warnings and errors, and which partitions each one owns after a rebalance
          const owns = entry?.[3]!.startsWith('joined the group');
          if (!entry || (Number(entry[1]) < 40 && !owns) || Number(entry[2]) < since) {
            continue;
          }
          const message = entry[3]!.replace(/ ?\{\\"timestamp.*/, '').replace(/\d+ ms\b/g, 'N ms');
          const known = seen.get(message);
          if (known) {
            Object.assign(known, { count: known.count + 1, last: time(entry[2]!) });
          } else {
            seen.set(message, { count: 1, first: time(entry[2]!), last: time(entry[2]!) });
          }
        }
        const lines = [...seen].map(
          ([message, { count, first, last }]) => `  ${first}-${last} ${count} x ${message}`,
        );
        return `processor ${i + 1} (pid ${processor.child.pid}):\n${lines.join('\n') || '  nothing'}`;
      })
      .join('\n');
  }

  const kafkaAdmin = () => suiteKafka(app.get(AppConfig).kafka.brokers).admin();

  /** The processor group's committed offset of each raw-topic partition. */
  async function committedByPartition(): Promise<Map<number, number>> {
    const { kafka } = app.get(AppConfig);
    const admin = kafkaAdmin();
    await admin.connect();
    try {
      const [topic] = await admin.fetchOffsets({
        groupId: kafka.processorGroupId,
        topics: [kafka.topics.rawUsers],
      });
      return new Map((topic?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]));
    } finally {
      await admin.disconnect();
    }
  }

  async function endsByPartition(): Promise<Map<number, number>> {
    const admin = kafkaAdmin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(app.get(AppConfig).kafka.topics.rawUsers);
      return new Map(offsets.map(({ partition, high }) => [partition, Number(high)]));
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Who reads what, when a run failed: the group's members and their partitions as the coordinator has them, each
   * raw partition's committed offset and end, and each processor's own view of its partitions (/health/ready).
   */
  async function groupPicture(): Promise<string> {
    const { kafka } = app.get(AppConfig);
    const lines: string[] = [];
    const admin = kafkaAdmin();
    try {
      await admin.connect();
      const { groups } = await admin.describeGroups([kafka.processorGroupId]);
      for (const group of groups) {
        lines.push(`group ${group.groupId}: ${group.state}, ${group.members.length} member(s)`);
        for (const member of group.members) {
          const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
          const owns = Object.entries(decoded?.assignment ?? {}).map(
            ([topic, parts]) => `${topic}[${parts.join(', ')}]`,
          );
          lines.push(`  ${member.clientHost} ${member.memberId.slice(-12)}: ${owns.join(' ') || 'nothing'}`);
        }
      }
    } catch (error) {
      lines.push(`group: ${(error as Error).message}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    try {
      const [committed, ends] = await Promise.all([committedByPartition(), endsByPartition()]);
      const parts = [...ends].map(
        ([partition, end]) => `${partition}: ${committed.get(partition) ?? '-'}/${end}`,
      );
      lines.push(`${kafka.topics.rawUsers} committed/end: ${parts.join(', ')}`);
    } catch (error) {
      lines.push(`offsets: ${(error as Error).message}`);
    }
    for (const [i, processor] of processors.entries()) {
      try {
        const ready = await fetch(`http://127.0.0.1:${processorHttpPort(processor)}/health/ready`);
        lines.push(`processor ${i + 1} (pid ${processor.child.pid}): ${await ready.text()}`);
      } catch (error) {
        lines.push(`processor ${i + 1}: ${(error as Error).message}`);
      }
    }
    return lines.join('\n');
  }

  /** Streams a run, applies `fault` once a third is produced, then checks every user stored exactly once. */
  async function runThrough(
    name: string,
    fault: (progress: ReturnType<typeof processorProgress>) => Promise<number | null>,
  ): Promise<Run> {
    const runs = runsApi(app);
    const progress = processorProgress(app);
    await progress.connect();
    const since = Date.now();
    const seed = `cluster-${name.replace(/\W+/g, '-')}-${Date.now()}`;
    const run = await runs.start({
      source: 'synthetic',
      ratePerSecond: RATE,
      batchSize: 200,
      maxRecords: TOTAL,
      seed,
    });
    await runs.reaches(run.id, ({ counters }) => counters.produced >= TOTAL / 3);
    const recoverySeconds = await fault(progress);
    await progress.close();
    const done = await runs.finished(run.id, 600_000);
    const counts = await reconcileSynthetic(app, done, seed);
    recordRow({
      fault: name,
      ...counts,
      deadLettered: done.counters.deadLettered,
      recoverySeconds,
      outcome: done.state,
    });
    // how the processors lived through it (replacements, stalls, retries), printed for every run
    console.log(`${name}: ${done.state}\n${processorTrouble(since)}`);
    if (done.state !== 'completed') {
      console.log(`${name}: who reads what\n${await groupPicture()}`);
    }
    expect(done).toMatchObject({ state: 'completed', error: null });
    expect(counts).toEqual({ produced: TOTAL, stored: TOTAL, duplicated: 0, lost: 0, unindexed: 0 });
    expect(done.counters).toMatchObject({ stored: TOTAL, processed: TOTAL, deadLettered: 0 });
    return done;
  }

  it('replicates the pipeline as the cluster allows: three copies, two in sync, at LOCAL_QUORUM', async () => {
    const config = app.get(AppConfig);
    const admin = kafkaAdmin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [config.kafka.topics.rawUsers] });
      expect(topics[0]!.partitions.every((partition) => partition.replicas.length === 3)).toBe(true);
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: config.kafka.topics.rawUsers,
            configNames: ['min.insync.replicas'],
          },
        ],
      });
      expect(resources[0]!.configEntries[0]!.configValue).toBe('2');
    } finally {
      await admin.disconnect();
    }
    const cassandra = app.get<Client>(CASSANDRA);
    const keyspace = await cassandra.execute(
      'SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?',
      [config.cassandra.keyspace],
      { prepare: true },
    );
    expect(keyspace.first()?.['replication']).toMatchObject({ datacenter1: '3' });
  });

  it('a broker SIGKILLed mid-run and started again loses nothing', async () => {
    await runThrough('cluster: broker SIGKILL, restarted', async (progress) => {
      await killServer('kafka-2');
      await sleep(10_000);
      await stack('up', 'kafka-2');
      return progress.recoveredAfter(Date.now());
    });
  });

  it('a Cassandra node SIGKILLed mid-run: writes at LOCAL_QUORUM go on without it; started again, nothing is lost', async () => {
    await runThrough('cluster: Cassandra node SIGKILL, restarted', async (progress) => {
      const before = await waitFor(() => progress.committed(), { what: 'the committed offsets' });
      await killServer('cassandra-2');
      const killedAt = Date.now();
      // two of three replicas answer: the processors keep storing while the node is down
      await waitFor(async () => ((await progress.committed()) > before + 1_000 ? true : undefined), {
        timeoutMs: 120_000,
        what: 'users stored while a Cassandra node is down',
      });
      const recovery = (Date.now() - killedAt) / 1000;
      await stack('up', 'cassandra-2');
      return recovery;
    });
  });

  it('one of three processors SIGKILLed mid-run: the other two take its partitions, nothing is lost', async () => {
    await runThrough('cluster: 1 of 3 processors SIGKILL', async () => {
      // the group's coordinator may still be moving after the broker test: ask until one answers
      const before = await waitFor(() => committedByPartition(), { what: 'the committed offsets' });
      const victim = processors.pop()!;
      await victim.kill('SIGKILL');
      const killedAt = Date.now();
      // its partitions stay uncommitted until the group's session timeout hands them to the others: recovered
      // once every partition has moved on (or was done)
      await waitFor(
        async () => {
          const [now, ends] = [await committedByPartition(), await endsByPartition()];
          const stuck = [...now].filter(
            ([partition, offset]) =>
              offset <= (before.get(partition) ?? -1) && offset < (ends.get(partition) ?? 0),
          );
          return stuck.length === 0 ? true : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 200, what: 'every partition to be committed again' },
      );
      const recovery = (Date.now() - killedAt) / 1000;
      processors.push(await startProcessor());
      return recovery;
    });
  });
});
