import { storedUser } from '../../test/stored-user.js';
import { toStoredUser, type UserRow } from './user-row.js';

describe('toStoredUser', () => {
  it('writes dates as ISO strings', () => {
    const row: UserRow = {
      ...storedUser({
        id: 'user-1',
        firstName: 'Ada',
        lastName: 'Lovelace',
        source: 'randomuser',
        processedAt: '2026-06-15T12:00:00.000Z',
      }),
      dob: new Date(0),
      registered: new Date('2020-01-01T00:00:00.000Z'),
      fetchedAt: null,
      ingestedAt: new Date('2026-06-15T11:59:59.000Z'),
      processedAt: new Date('2026-06-15T12:00:00.000Z'),
    };
    expect(toStoredUser(row)).toMatchObject({
      dob: '1970-01-01T00:00:00.000Z',
      registered: '2020-01-01T00:00:00.000Z',
      fetchedAt: null,
      ingestedAt: '2026-06-15T11:59:59.000Z',
      processedAt: '2026-06-15T12:00:00.000Z',
    });
  });
});
