import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { AppConfig } from '#src/config/index.js';

/** Announced by a trigger on `ingestion_schedules` (migration SeveralBackends) with the schedule's id. */
const SCHEDULE_CHANGES_CHANNEL = 'ingestion_schedules';
const RECONNECT_MS = 2_000;

export interface ScheduleChangeHandlers {
  /** A schedule was created, changed or deleted, by any backend. */
  changed(id: string): void;
  /** (Re)connected: changes made while not listening were not heard, so everything should be read again. */
  connected(): void;
}

/**
 * PostgreSQL LISTEN on its own connection (a pooled one would be handed to other queries), reconnecting after
 * a lost connection.
 */
@Injectable()
export class ScheduleChangesRepository implements OnApplicationShutdown {
  private readonly logger = new Logger(ScheduleChangesRepository.name);
  private client: pg.Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly config: AppConfig) {}

  /** Resolves after the first attempt to connect; a failed one is retried in the background. */
  async listen(handlers: ScheduleChangeHandlers): Promise<void> {
    await this.connect(handlers);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(handlers: ScheduleChangeHandlers): Promise<void> {
    if (this.closed) {
      return;
    }
    const client = new pg.Client({
      connectionString: this.config.postgres.url,
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
    });
    // a lost connection is reported by 'end' below
    client.on('error', (error) => this.logger.warn(`schedule changes: ${error.message}`));
    try {
      await client.connect();
      await client.query(`LISTEN ${SCHEDULE_CHANGES_CHANNEL}`);
    } catch (error) {
      this.logger.warn(`cannot listen for schedule changes, retrying: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
      this.reconnectLater(handlers);
      return;
    }
    client.on('notification', (message) => {
      if (message.channel === SCHEDULE_CHANGES_CHANNEL && message.payload) {
        handlers.changed(message.payload);
      }
    });
    client.once('end', () => {
      if (this.client === client) {
        this.client = undefined;
      }
      this.reconnectLater(handlers);
    });
    this.client = client;
    handlers.connected();
  }

  private reconnectLater(handlers: ScheduleChangeHandlers): void {
    if (this.closed) {
      return;
    }
    this.retry = setTimeout(() => void this.connect(handlers), RECONNECT_MS);
    this.retry.unref();
  }
}
