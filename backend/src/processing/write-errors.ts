import { errors, types } from 'cassandra-driver';

/** Server answers that may succeed later: the node or replicas are down, busy or slow. */
const TRANSIENT_CODES = new Set<number>([
  types.responseErrorCodes.unavailableException,
  types.responseErrorCodes.overloaded,
  types.responseErrorCodes.isBootstrapping,
  types.responseErrorCodes.writeTimeout,
  types.responseErrorCodes.readTimeout,
  types.responseErrorCodes.truncateError,
  // a query prepared on a node that restarted: the driver prepares it again on retry
  types.responseErrorCodes.unprepared,
]);

/** Node errors of a lost or refused connection. */
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * Whether a failed write may succeed if retried: unavailable, timeouts, overload, no host, a lost connection.
 * Everything else (invalid values, an index refusing a term, a value the driver cannot encode) fails the same
 * way every time, so the row is dead-lettered instead of holding its partition.
 */
export function isTransientWriteError(error: unknown): boolean {
  if (
    error instanceof errors.NoHostAvailableError ||
    error instanceof errors.OperationTimedOutError ||
    error instanceof errors.BusyConnectionError
  ) {
    return true;
  }
  if (error instanceof errors.ResponseError) return TRANSIENT_CODES.has(error.code);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

/** A short reason for a dead letter. */
export function describeWriteError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 300 ? `${message.slice(0, 300)}...` : message;
}
