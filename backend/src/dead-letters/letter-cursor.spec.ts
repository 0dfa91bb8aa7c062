import { decodeCursor, encodeCursor } from './letter-cursor.js';
import { DeadLetterException } from './dead-letter.exception.js';

describe('letter cursor', () => {
  it('round-trips a position', () => {
    const cursor = {
      failedAt: new Date('2026-03-01T10:00:00.123Z'),
      partition: 2,
      offset: '9007199254740993',
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64 JSON', 'abc'],
    ['wrong arity', Buffer.from('[1,2]').toString('base64url')],
    ['bad date', Buffer.from('["x",0,"1"]').toString('base64url')],
    ['negative partition', Buffer.from('["2026-01-01T00:00:00Z",-1,"1"]').toString('base64url')],
    ['offset not digits', Buffer.from('["2026-01-01T00:00:00Z",0,"1; drop"]').toString('base64url')],
  ])('refuses %s with INVALID_CURSOR', (_what, text) => {
    let thrown: unknown;
    try {
      decodeCursor(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DeadLetterException);
    expect((thrown as DeadLetterException).code).toBe('INVALID_CURSOR');
    expect((thrown as DeadLetterException).getStatus()).toBe(400);
  });
});
