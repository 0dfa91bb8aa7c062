import { DeadLetterException, DeadLetterExceptionCode } from './dead-letter.exception.js';

/** Where a page of letters ended: the last letter's time and position (newest first). */
export interface LetterCursor {
  failedAt: Date;
  partition: number;
  offset: string;
}

/** Opaque to clients; not signed: it only says where to go on in a list the caller may read whole. */
export function encodeCursor(cursor: LetterCursor): string {
  const tuple = [cursor.failedAt.toISOString(), cursor.partition, cursor.offset];
  return Buffer.from(JSON.stringify(tuple), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): LetterCursor {
  const invalid = () =>
    new DeadLetterException(DeadLetterExceptionCode.INVALID_CURSOR, 'not a cursor returned by this API', {
      field: 'cursor',
    });
  let tuple: unknown;
  try {
    tuple = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(tuple) || tuple.length !== 3) {
    throw invalid();
  }
  const [at, partition, offset] = tuple as unknown[];
  const failedAt = typeof at === 'string' ? new Date(at) : new Date(NaN);
  if (
    Number.isNaN(failedAt.getTime()) ||
    !Number.isInteger(partition) ||
    (partition as number) < 0 ||
    typeof offset !== 'string' ||
    !/^\d{1,19}$/.test(offset)
  ) {
    throw invalid();
  }
  return { failedAt, partition: partition as number, offset };
}
