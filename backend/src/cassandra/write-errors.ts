import { errors, types } from 'cassandra-driver';

/** Server answers that fail the same way on every attempt: the statement or the values are wrong. */
const PERMANENT_CODES = new Set<number>([
  types.responseErrorCodes.invalid,
  types.responseErrorCodes.syntaxError,
  types.responseErrorCodes.unauthorized,
  types.responseErrorCodes.configError,
  types.responseErrorCodes.protocolError,
  types.responseErrorCodes.functionFailure,
]);

/**
 * Errors the driver raises before sending: a value it cannot encode (a string for an int, an int out of range).
 * Matched by name, not `instanceof`: Node creates some of them in its own realm (Buffer's ERR_OUT_OF_RANGE), where
 * `instanceof RangeError` is false under a VM sandbox such as Jest's.
 */
const ENCODING_ERROR_NAMES = new Set(['TypeError', 'RangeError']);

/**
 * Whether a failed write can never succeed, so the row is dead-lettered instead of holding its partition: the
 * server refusing the statement or a value (an index refusing a term), or the driver unable to encode a value.
 * Everything else (unavailable, timeouts, overload, no host, a connection lost with writes in flight, errors
 * nobody listed) is retried: retrying a permanent error only delays one row, dead-lettering a transient one loses it
 * from the table.
 */
export function isPermanentWriteError(error: unknown): boolean {
  if (error instanceof errors.ResponseError) {
    return PERMANENT_CODES.has(error.code);
  }
  if (error instanceof errors.ArgumentError) {
    return true;
  }
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && ENCODING_ERROR_NAMES.has(name);
}

/** A short reason for a dead letter. */
export function describeWriteError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 300 ? `${message.slice(0, 300)}...` : message;
}

const RESPONSE_CODE_NAMES = new Map<number, string>(
  Object.entries(types.responseErrorCodes).flatMap(([name, code]) =>
    typeof code === 'number' ? [[code, name] as const] : [],
  ),
);

/**
 * The family of a failed write, a bounded metric label: the server's response code by name (`writeTimeout`,
 * `unavailableException`, `invalid`...), or the driver's error class (`NoHostAvailableError`,
 * `OperationTimedOutError`...), `encoding` for a value the driver cannot encode, else `other`.
 */
export function writeErrorKind(error: unknown): string {
  if (error instanceof errors.ResponseError) {
    return RESPONSE_CODE_NAMES.get(error.code) ?? 'response';
  }
  if (error instanceof errors.NoHostAvailableError) {
    return 'NoHostAvailableError';
  }
  if (error instanceof errors.OperationTimedOutError) {
    return 'OperationTimedOutError';
  }
  if (error instanceof errors.BusyConnectionError) {
    return 'BusyConnectionError';
  }
  if (error instanceof errors.DriverInternalError) {
    return 'DriverInternalError';
  }
  if (error instanceof errors.ArgumentError) {
    return 'ArgumentError';
  }
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && ENCODING_ERROR_NAMES.has(name) ? 'encoding' : 'other';
}
