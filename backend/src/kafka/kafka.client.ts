import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { AppConfig } from '#src/config/index.js';

export const KAFKA = Symbol('KAFKA');

/** Routes kafkajs logs through the application logger (pino) instead of its own console output. */
function logEntry(logger: Logger, { level, log }: LogEntry): void {
  const { message, ...extra } = log;
  const text = `${message} ${JSON.stringify(extra)}`;
  if (level === logLevel.ERROR) {
    logger.error(text);
  } else if (level === logLevel.WARN) {
    logger.warn(text);
  } else {
    logger.debug(text);
  }
}

export function createKafka(config: AppConfig): Kafka {
  const logger = new Logger('kafkajs');
  return new Kafka({
    clientId: config.kafka.clientId,
    brokers: config.kafka.brokers,
    logLevel: logLevel.WARN,
    // kafkajs gives a connection 1 s by default; a broker on a loaded machine (a GC pause, a restart) can take longer
    connectionTimeout: 5_000,
    retry: { initialRetryTime: 200, retries: 8 },
    logCreator: () => (entry) => logEntry(logger, entry),
  });
}
