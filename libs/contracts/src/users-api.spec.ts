import { PERSONAL_USER_FILTERS, UserId, UserSearchQuery } from './users-api.js';

const parse = (query: Record<string, unknown>) => UserSearchQuery.safeParse(query);
const fields = (query: Record<string, unknown>) => {
  const result = parse(query);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.') || issue.code);
};

describe('UserSearchQuery', () => {
  it('defaults the page size and accepts no filter at all', () => {
    expect(UserSearchQuery.parse({})).toEqual({ limit: 50, unmasked: false });
  });

  it('coerces query-string numbers and normalises dates and nationality', () => {
    expect(
      UserSearchQuery.parse({
        ageMin: '18',
        ageMax: '30',
        limit: '200',
        nat: 'gb',
        registeredFrom: '2015-03-01',
        registeredTo: '2016-01-01T12:00:00+02:00',
        firstName: '  Zoë ',
      }),
    ).toEqual({
      ageMin: 18,
      ageMax: 30,
      limit: 200,
      unmasked: false,
      nat: 'GB',
      registeredFrom: '2015-03-01T00:00:00.000Z',
      registeredTo: '2016-01-01T10:00:00.000Z',
      firstName: 'Zoë',
    });
  });

  it('refuses unknown parameters', () => {
    expect(fields({ countri: 'France' })).toEqual(['unrecognized_keys']);
  });

  it.each([
    ['limit', '0'],
    ['limit', '201'],
    ['limit', ''],
    ['limit', '1e2'],
    ['limit', '-5'],
    ['limit', '10.5'],
    ['ageMin', 'abc'],
    ['ageMax', '151'],
    ['nat', 'GBR'],
    ['nat', 'G1'],
    ['registeredFrom', '2020-13-01'],
    ['registeredFrom', '2021-02-29'],
    ['registeredFrom', 'yesterday'],
    ['registeredTo', '2020-01-01T10:00:00'],
    ['registeredTo', '1600000000'],
    ['country', ''],
    ['country', '   '],
    ['country', 'x'.repeat(65)],
    ['email', 'x'.repeat(255)],
    ['firstName', 'Zo\u0000e'],
    ['lastName', 'Smith\u202e'],
    ['runId', "' OR 1=1 --"],
    ['runId', 'x'.repeat(129)],
    ['cursor', 'not a cursor'],
    ['cursor', 'abc'],
  ])('refuses %s=%j', (name, value) => {
    expect(fields({ [name]: value })).toEqual([name]);
  });

  it('refuses a repeated parameter (an array from the query string)', () => {
    expect(fields({ country: ['France', 'Spain'] })).toEqual(['country']);
  });

  it('refuses inverted ranges, and accepts equal bounds', () => {
    expect(fields({ ageMin: '40', ageMax: '30' })).toEqual(['ageMin']);
    expect(fields({ registeredFrom: '2020-01-02', registeredTo: '2020-01-01T23:59:59Z' })).toEqual([
      'registeredFrom',
    ]);
    expect(
      fields({ ageMin: '30', ageMax: '30', registeredFrom: '2020-01-01', registeredTo: '2020-01-01' }),
    ).toEqual([]);
  });

  it('takes SQL-like and non-Latin text as plain values', () => {
    for (const value of ["' OR 1=1 --", "'; DROP TABLE users; --", 'Ελένη', 'Олена', 'علی\u200cپور', '🙂']) {
      expect(UserSearchQuery.parse({ lastName: value })).toMatchObject({ lastName: value });
    }
  });
});

describe('UserId', () => {
  it.each(['3d8e6b21-f0a4-4c57-9e38-71b5c2d0a946', 'user_1.2:x@y+z~w', 'Zoë-7'])('accepts %s', (id) => {
    expect(UserId.parse(id)).toBe(id);
  });

  it.each(['', 'x'.repeat(129), "' OR 1=1 --", 'a b', 'a/b', 'a\u0000b', '../etc'])('refuses %j', (id) => {
    expect(UserId.safeParse(id).success).toBe(false);
  });
});

describe('UserSearchQuery unmasked', () => {
  it('reads the flag like the topic browser, and never as a filter', () => {
    expect(UserSearchQuery.parse({ unmasked: 'true' }).unmasked).toBe(true);
    expect(UserSearchQuery.parse({ unmasked: '0' }).unmasked).toBe(false);
    expect(UserSearchQuery.safeParse({ unmasked: 'please' }).success).toBe(false);
    expect(PERSONAL_USER_FILTERS).toEqual(['email', 'username']);
  });
});
