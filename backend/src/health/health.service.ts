import { Injectable } from '@nestjs/common';
import type { HealthResponse, LivenessResponse, ServiceHealth, ServiceName } from '@userstream/contracts';
import { withTimeout } from '#src/common/index.js';
import { KafkaAdminRepository } from '#src/kafka/index.js';
import { HealthRepository } from './health.repository.js';

const CHECK_TIMEOUT_MS = 3_000;

/** How long a check's answer is reused: /api/health is open to everyone, and a check touches all three stores. */
export const HEALTH_CACHE_MS = 2_000;

@Injectable()
export class HealthService {
  private last: { at: number; answer: Promise<HealthResponse> } | undefined;

  constructor(
    private readonly repository: HealthRepository,
    private readonly kafka: KafkaAdminRepository,
  ) {}

  /** Alive as long as this runs: no dependency is asked, so an outage of one never restarts the process. */
  liveness(): LivenessResponse {
    return { status: 'ok', uptimeSeconds: process.uptime() };
  }

  /** Callers within HEALTH_CACHE_MS of a check (or while it runs) share its answer. */
  check(now = Date.now()): Promise<HealthResponse> {
    if (this.last && now - this.last.at < HEALTH_CACHE_MS) {
      return this.last.answer;
    }
    const answer = this.checkNow();
    this.last = { at: now, answer };
    return answer;
  }

  private async checkNow(): Promise<HealthResponse> {
    const probes: Record<ServiceName, () => Promise<string>> = {
      kafka: () => this.kafka.ping(),
      cassandra: () => this.repository.pingCassandra(),
      postgres: () => this.repository.pingPostgres(),
    };
    const entries = await Promise.all(
      Object.entries(probes).map(async ([name, probe]) => [name, await this.probe(probe)] as const),
    );
    const services = Object.fromEntries(entries) as Record<ServiceName, ServiceHealth>;
    const allUp = Object.values(services).every((service) => service.status === 'up');
    return { status: allUp ? 'ok' : 'degraded', checkedAt: new Date().toISOString(), services };
  }

  private async probe(run: () => Promise<string>): Promise<ServiceHealth> {
    const started = performance.now();
    try {
      const detail = await withTimeout(run(), CHECK_TIMEOUT_MS);
      return { status: 'up', latencyMs: Math.round(performance.now() - started), detail };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { status: 'down', latencyMs: Math.round(performance.now() - started), error: message };
    }
  }
}
