import { Inject, Injectable } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { AppConfig } from '../config/app-config.js';
import { KAFKA } from './kafka.client.js';
import { topicReplication } from './topic-replication.js';

export interface TopicOffsets {
  partition: number;
  offset: string;
}

/** Admin operations the pipeline itself needs: its topics, and the processor group's progress. */
@Injectable()
export class PipelineTopicsRepository {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly config: AppConfig,
  ) {}

  /**
   * Creates the raw, processed and dead-letter topics when missing, replicated as the cluster allows (see
   * `topicReplication`; settings it cannot satisfy stop here with a clear message); returns the names created.
   */
  async ensurePipelineTopics(): Promise<string[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = Object.values(this.config.kafka.topics).filter((topic) => !existing.has(topic));
      if (missing.length === 0) return [];
      const { brokers } = await admin.describeCluster();
      const { replicationFactor, minInsyncReplicas } = topicReplication(brokers.length, this.config.kafka);
      const configEntries =
        minInsyncReplicas === undefined
          ? []
          : [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }];
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.config.kafka.partitions,
          replicationFactor,
          configEntries,
        })),
      });
      await this.waitForMetadata(admin, missing);
      return missing;
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * A just-created topic can still be unknown to the broker's metadata for a moment (seen on a loaded
   * 2-core box): consumers subscribing then fail with UNKNOWN_TOPIC_OR_PARTITION. Wait until it is served.
   */
  private async waitForMetadata(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { topics: described } = await admin.fetchTopicMetadata({ topics });
        if (described.every((topic) => topic.partitions.length > 0)) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} not served after creation`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The next offset to be written, per partition of the topic. */
  async endOffsets(topic: string): Promise<TopicOffsets[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({
        partition,
        offset: high,
      }));
    } finally {
      await admin.disconnect();
    }
  }

  /** The next offset to be written, per partition (only the partitions asked for). */
  async highWatermarks(topic: string, partitions: number[]): Promise<TopicOffsets[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets
        .filter(({ partition }) => partitions.includes(partition))
        .map(({ partition, high }) => ({ partition, offset: high }));
    } finally {
      await admin.disconnect();
    }
  }

  /** Committed offsets of a consumer group on one topic, per partition (-1 when nothing committed). */
  async committedOffsets(groupId: string, topic: string): Promise<TopicOffsets[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return result?.partitions.map(({ partition, offset }) => ({ partition, offset })) ?? [];
    } finally {
      await admin.disconnect();
    }
  }
}
