import { createHmac, timingSafeEqual } from 'node:crypto';

/** A cursor that this server did not issue for these filters (forged, altered, or reused with others). */
export class InvalidCursorError extends Error {}

export type CursorFilters = Readonly<Record<string, string | number | undefined>>;

/**
 * Signed paging cursors: `<state>.<mac>`, both base64url. The MAC covers the state and the search's filters,
 * which are not in the cursor: a cursor is only valid with the filters it was issued for, and a client can
 * neither forge a paging state (which the server would trust) nor move it to another search. `domain`
 * (versioned) keeps a cursor of one kind of search from verifying as another's with the same key.
 */
export class CursorSigner {
  constructor(
    private readonly secret: string,
    private readonly domain: string,
  ) {}

  sign(pageState: Buffer, filters: CursorFilters): string {
    return `${pageState.toString('base64url')}.${this.mac(pageState, filters).toString('base64url')}`;
  }

  /** The page state of a cursor issued for exactly these filters; throws InvalidCursorError otherwise. */
  verify(cursor: string, filters: CursorFilters): Buffer {
    const parts = cursor.split('.');
    if (parts.length !== 2) {
      throw new InvalidCursorError('malformed cursor');
    }
    const [state, mac] = parts as [string, string];
    const pageState = decodeCanonical(state);
    const given = decodeCanonical(mac);
    const expected = this.mac(pageState, filters);
    if (pageState.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new InvalidCursorError('cursor was not issued for this search');
    }
    return pageState;
  }

  private mac(pageState: Buffer, filters: CursorFilters): Buffer {
    return createHmac('sha256', this.secret)
      .update(this.domain)
      .update('\0')
      .update(canonicalFilters(filters))
      .update('\0')
      .update(pageState)
      .digest();
  }
}

/** Sorted `[name, value]` pairs of the set filters: the same search always gives the same bytes. */
function canonicalFilters(filters: CursorFilters): string {
  const set = Object.entries(filters)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(set);
}

/**
 * Node's base64url decoder ignores stray characters and unused trailing bits, so two different strings can
 * decode to the same bytes; only the canonical spelling is accepted, so any altered character is refused.
 */
function decodeCanonical(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) {
    throw new InvalidCursorError('malformed cursor');
  }
  return bytes;
}
