/**
 * The benchmark's own connections to the stack, apart from the backend under test: a Kafka client (raw
 * producer, admin, latency consumer) and a Cassandra client (raw inserts, clean-up). Offsets are read
 * through one long-lived admin so that polling every 100 ms stays cheap.
 */
import { Client } from 'cassandra-driver';
import { type Admin, AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { reachRing } from '#src/cassandra/cassandra.module.js';
import type { AppConfig } from '#src/config/app-config.js';
import { topicReplication } from '#src/kafka/topic-replication.js';
import { pollUntil } from './harness.js';

export interface Progress {
  /** Sum over partitions of the high watermarks. */
  end: bigint;
  /** Sum over partitions of the group's committed offsets (0 for a partition without a commit). */
  committed: bigint;
  /** Every partition's committed offset has reached its high watermark. */
  drained: boolean;
}

export class BenchStack {
  private constructor(
    readonly kafka: Kafka,
    readonly admin: Admin,
    readonly cassandra: Client,
  ) {}

  /** Connects to the brokers and to the keyspace (which the backend under test has created). */
  static async connect(config: AppConfig): Promise<BenchStack> {
    const kafka = new Kafka({
      clientId: 'userstream-bench',
      brokers: config.kafka.brokers,
      logLevel: logLevel.ERROR,
      retry: { initialRetryTime: 200, retries: 8 },
    });
    const admin = kafka.admin();
    await admin.connect();
    const cassandra = new Client({
      ...reachRing(config.cassandra),
      keyspace: config.cassandra.keyspace,
      // as the backend's client (cassandra.module.ts): 2 connections to the local node
      pooling: { coreConnectionsPerHost: { 0: 2, 1: 1, 2: 0 } },
      socketOptions: { readTimeout: 60_000 },
    });
    await cassandra.connect();
    return new BenchStack(kafka, admin, cassandra);
  }

  /** Creates a topic and waits until every partition has a leader (KRaft may not know it at once). */
  /** Brokers in the cluster: 1 on the usual test stack, 3 with `npm run bench -- --nodes 3`. */
  async brokerCount(): Promise<number> {
    return (await this.admin.describeCluster()).brokers.length;
  }

  /** Replicated as the product's own topics are on this cluster (`topicReplication`). */
  async createTopic(topic: string, partitions: number): Promise<void> {
    const { replicationFactor, minInsyncReplicas } = topicReplication(await this.brokerCount(), {});
    await this.admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor,
          configEntries:
            minInsyncReplicas === undefined
              ? []
              : [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }],
        },
      ],
    });
    await pollUntil(
      `the partitions of ${topic} to have leaders`,
      async () => {
        try {
          const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
          const found = topics[0]?.partitions ?? [];
          return found.length === partitions && found.every((p) => p.leader >= 0) ? true : undefined;
        } catch {
          return undefined; // UNKNOWN_TOPIC_OR_PARTITION until the metadata has propagated
        }
      },
      { intervalMs: 200, timeoutMs: 30_000 },
    );
  }

  async highWatermarks(topic: string): Promise<Map<number, bigint>> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return new Map(offsets.map(({ partition, high }) => [partition, BigInt(high)]));
  }

  async endOffset(topic: string): Promise<bigint> {
    let total = 0n;
    for (const high of (await this.highWatermarks(topic)).values()) {
      total += high;
    }
    return total;
  }

  /** How far a consumer group has committed on a topic. */
  async progress(groupId: string, topic: string): Promise<Progress> {
    const [ends, [committed]] = await Promise.all([
      this.highWatermarks(topic),
      this.admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const done = new Map(
      (committed?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset)]),
    );
    let end = 0n;
    let sum = 0n;
    let drained = true;
    for (const [partition, high] of ends) {
      const at = done.get(partition) ?? -1n;
      end += high;
      sum += at > 0n ? at : 0n;
      if (at < high) {
        drained = false;
      }
    }
    return { end, committed: sum, drained };
  }

  /** Members of a consumer group that hold at least one partition. */
  async assignedMembers(groupId: string): Promise<number> {
    const { groups } = await this.admin.describeGroups([groupId]);
    const members = groups[0]?.members ?? [];
    return members.filter((member) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      return Object.values(decoded?.assignment ?? {}).some((partitions) => partitions.length > 0);
    }).length;
  }

  /** Deletes every topic and consumer group whose name starts with `prefix`; returns how many of each. */
  async deleteByPrefix(prefix: string): Promise<{ topics: number; groups: number }> {
    const topics = (await this.admin.listTopics()).filter((name) => name.startsWith(prefix));
    if (topics.length > 0) {
      await this.admin.deleteTopics({ topics, timeout: 30_000 });
    }
    const groups = (await this.admin.listGroups()).groups
      .map(({ groupId }) => groupId)
      .filter((groupId) => groupId.startsWith(prefix));
    if (groups.length > 0) {
      await this.admin.deleteGroups(groups).catch(() => []);
    }
    return { topics: topics.length, groups: groups.length };
  }

  /** SSTable tasks (compactions, index builds) Cassandra runs now (`system_views.sstable_tasks`), for the report. */
  async runningCompactions(): Promise<number> {
    const result = await this.cassandra.execute('SELECT kind FROM system_views.sstable_tasks');
    return result.rowLength;
  }

  /**
   * Memtable flushes Cassandra has completed since it started (`system_views.thread_pools`), for the report: a
   * flush writes the table's SSTable and every SAI index segment of it, on the cores the writes need.
   */
  async completedFlushes(): Promise<number> {
    const result = await this.cassandra.execute(
      "SELECT completed_tasks FROM system_views.thread_pools WHERE name = 'MemtableFlushWriter'",
    );
    return Number(result.first()?.['completed_tasks'] ?? 0);
  }

  async keyspaces(): Promise<string[]> {
    const result = await this.cassandra.execute('SELECT keyspace_name FROM system_schema.keyspaces');
    return result.rows.map((row) => String(row['keyspace_name']));
  }

  async dropKeyspace(keyspace: string): Promise<void> {
    if (!/^\w+$/.test(keyspace)) {
      throw new Error(`refusing to drop keyspace ${JSON.stringify(keyspace)}`);
    }
    await this.cassandra.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`, [], { readTimeout: 120_000 });
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.admin.disconnect(), this.cassandra.shutdown()]);
  }
}
