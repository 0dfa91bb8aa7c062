import { z } from 'zod';

export const ServiceName = z.enum(['kafka', 'cassandra', 'postgres']);
export type ServiceName = z.infer<typeof ServiceName>;

export const ServiceHealth = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
  detail: z.string().optional(),
  error: z.string().optional(),
});
export type ServiceHealth = z.infer<typeof ServiceHealth>;

export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  checkedAt: z.string(),
  services: z.record(ServiceName, ServiceHealth),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** GET /api/health/live: the process is up and its event loop answers; never depends on Kafka, Cassandra or PostgreSQL. */
export const LivenessResponse = z.object({
  status: z.literal('ok'),
  uptimeSeconds: z.number(),
});
export type LivenessResponse = z.infer<typeof LivenessResponse>;
