import {
  HttpException,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { AuditEntry, AuditList, AuditListQuery, Role } from '@userstream/contracts';
import type { Request } from 'express';
import { AccessAudit, type Principal, principalOf } from '#src/auth/index.js';
import { AuditBuffer } from './audit-buffer.js';
import type { AuditLogEntity } from './audit-log.entity.js';
import { AuditRepository, type NewAuditEntry } from './audit.repository.js';
import { auditTarget, storable } from './audit-target.js';

const ERROR_LOG_EVERY_MS = 30_000;

/** The status an exception will be answered with (as ApiExceptionFilter decides). */
export function statusOf(error: unknown): number {
  if (error instanceof HttpException) {
    return error.getStatus();
  }
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

function routePattern(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? pattern : req.path;
}

function toAuditEntry(entity: AuditLogEntity): AuditEntry {
  return {
    id: entity.id,
    at: entity.at.toISOString(),
    actor: entity.actor,
    role: entity.role as Role | null,
    method: entity.method,
    route: entity.route,
    target: entity.target as Record<string, unknown> | null,
    statusCode: entity.statusCode,
    success: entity.success,
    durationMs: entity.durationMs,
    ip: entity.ip,
  };
}

@Injectable()
export class AuditService implements AccessAudit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private lastErrorLog = 0;
  private readonly buffer: AuditBuffer<NewAuditEntry>;

  constructor(private readonly repository: AuditRepository) {
    this.buffer = new AuditBuffer((batch) => this.repository.insertMany(batch), {
      capacity: 10_000,
      batchSize: 200,
      intervalMs: 1_000,
      onError: (error) => {
        if (Date.now() - this.lastErrorLog < ERROR_LOG_EVERY_MS) {
          return;
        }
        this.lastErrorLog = Date.now();
        this.logger.warn(
          `audit entries not written yet (${this.buffer.size} queued, retrying): ${error.message}`,
        );
      },
    });
  }

  onApplicationBootstrap(): void {
    this.buffer.start();
  }

  /** Before, not on, shutdown: the last entries need the PostgreSQL pool, which closes on shutdown. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.buffer.stop();
    if (this.buffer.size > 0) {
      this.logger.error(
        `${this.buffer.size} audit entries could not be written before shutdown (PostgreSQL down)`,
      );
    }
  }

  /** Queues one request's entry; never waits for PostgreSQL and never throws. */
  record(req: Request, statusCode: number, startedAt: number, resultId?: string): void {
    try {
      this.buffer.push(this.entry(req, statusCode, startedAt, resultId));
    } catch (error) {
      this.logger.warn(`audit entry not recorded: ${(error as Error).message}`);
    }
  }

  /** A request the auth guard refused, with the status the refusal is answered with. */
  recordRefusal(req: Request, error: unknown, startedAt: number): void {
    this.record(req, statusOf(error), startedAt);
  }

  /**
   * Whether audited work may start: false while the entries not yet written reach the buffer's capacity
   * (PostgreSQL down or slow), so nothing is done that the audit log could not record.
   */
  get accepting(): boolean {
    return !this.buffer.full;
  }

  /**
   * Queues the entry of a request that is not an Express one (a live stream handshake): who, which route and
   * query (personal values redacted), whether it was let through. Never waits and never throws.
   */
  recordAccess(access: {
    principal: Principal | undefined;
    method: string;
    route: string;
    query: Record<string, unknown>;
    statusCode: number;
    ip: string | undefined;
  }): void {
    try {
      this.buffer.push({
        at: new Date(),
        actor: access.principal?.name ?? 'anonymous',
        role: access.principal?.role ?? null,
        method: access.method,
        route: storable(access.route.slice(0, 300)),
        target: auditTarget({ query: access.query }),
        statusCode: access.statusCode,
        success: access.statusCode < 400,
        durationMs: 0,
        ip: access.ip?.slice(0, 64) ?? null,
      });
    } catch (error) {
      this.logger.warn(`audit entry not recorded: ${(error as Error).message}`);
    }
  }

  /** Writes what is queued now (tests, shutdown). */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  async list(query: AuditListQuery): Promise<AuditList> {
    const [entities, total] = await this.repository.findPage(query.page, query.pageSize, {
      actor: query.actor,
      method: query.method,
    });
    return { items: entities.map(toAuditEntry), total, page: query.page, pageSize: query.pageSize };
  }

  private entry(req: Request, statusCode: number, startedAt: number, resultId?: string): NewAuditEntry {
    const principal = principalOf(req);
    const target = auditTarget(req);
    return {
      at: new Date(startedAt),
      actor: principal?.name ?? 'anonymous',
      role: principal?.role ?? null,
      method: req.method,
      // the pattern (`/api/runs/:id`) groups entries by route; unmatched paths keep their concrete path
      route: storable(routePattern(req).slice(0, 300)),
      target: resultId ? { ...target, resultId } : target,
      statusCode,
      success: statusCode < 400,
      durationMs: Math.max(0, Math.round(Date.now() - startedAt)),
      ip: req.ip?.slice(0, 64) ?? null,
    };
  }
}
