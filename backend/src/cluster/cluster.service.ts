import { Injectable } from '@nestjs/common';
import type { CassandraClusterStatus, ClusterStatus, KafkaClusterStatus } from '@userstream/contracts';
import { withTimeout } from '#src/common/index.js';
import { AppConfig } from '#src/config/index.js';
import { cassandraStatus, clusterProblems, type KnownBroker, kafkaStatus } from './cluster-view.js';
import { ClusterRepository } from './cluster.repository.js';

/** How long one broker or one Cassandra coordinator may take to answer before it counts as not answering. */
export const CLUSTER_CALL_TIMEOUT_MS = 3_000;
/** Callers within this long of a check (or while it runs) share its answer: the dashboard polls every 5 s. */
export const CLUSTER_CACHE_MS = 2_000;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A backstop over the calls' own timeouts, so nothing below can keep the endpoint waiting. */

/** The cluster view: Kafka brokers and Cassandra nodes, lost ones included, and what is wrong with them. */
@Injectable()
export class ClusterService {
  /** Every broker seen alive since this process started: one that drops out of the metadata is shown lost. */
  private readonly knownBrokers = new Map<number, KnownBroker>();
  private last: { at: number; answer: Promise<ClusterStatus> } | undefined;

  constructor(
    private readonly repository: ClusterRepository,
    private readonly config: AppConfig,
  ) {}

  status(now = Date.now()): Promise<ClusterStatus> {
    if (this.last && now - this.last.at < CLUSTER_CACHE_MS) {
      return this.last.answer;
    }
    const answer = this.check();
    this.last = { at: now, answer };
    return answer;
  }

  private async check(): Promise<ClusterStatus> {
    const [kafka, cassandra] = await Promise.all([this.kafka(), this.cassandra()]);
    return {
      checkedAt: new Date().toISOString(),
      kafka,
      cassandra,
      problems: clusterProblems(kafka, cassandra),
    };
  }

  private async kafka(): Promise<KafkaClusterStatus> {
    const known = [...this.knownBrokers.values()].map(({ host, port }) => ({ host, port }));
    try {
      const metadata = await withTimeout(
        this.repository.kafkaMetadata(known, CLUSTER_CALL_TIMEOUT_MS),
        CLUSTER_CALL_TIMEOUT_MS + 500,
      );
      for (const { nodeId, ...broker } of metadata.brokers) {
        this.knownBrokers.set(nodeId, broker);
      }
      return kafkaStatus(metadata, this.knownBrokers);
    } catch (error) {
      return kafkaStatus(null, this.knownBrokers, message(error));
    }
  }

  private async cassandra(): Promise<CassandraClusterStatus> {
    const { localDataCenter } = this.config.cassandra;
    try {
      const facts = await withTimeout(
        this.repository.cassandraNodeFacts(CLUSTER_CALL_TIMEOUT_MS),
        CLUSTER_CALL_TIMEOUT_MS + 500,
      );
      return cassandraStatus(localDataCenter, this.repository.cassandraHosts(), facts);
    } catch (error) {
      return cassandraStatus(localDataCenter, this.repository.cassandraHosts(), [], message(error));
    }
  }
}
