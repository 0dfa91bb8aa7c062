import type { StoredUser } from '@userstream/contracts';

type DateFields = 'dob' | 'registered' | 'fetchedAt' | 'ingestedAt' | 'processedAt';

/** A user ready for the Cassandra repository: StoredUser with real dates. */
export type UserRow = Omit<StoredUser, DateFields> & {
  dob: Date | null;
  registered: Date | null;
  fetchedAt: Date | null;
  ingestedAt: Date | null;
  processedAt: Date;
};

/** The wire form of a row, for the HTTP API and socket events. */
export function toStoredUser(row: UserRow): StoredUser {
  return {
    ...row,
    dob: row.dob?.toISOString() ?? null,
    registered: row.registered?.toISOString() ?? null,
    fetchedAt: row.fetchedAt?.toISOString() ?? null,
    ingestedAt: row.ingestedAt?.toISOString() ?? null,
    processedAt: row.processedAt.toISOString(),
  };
}
