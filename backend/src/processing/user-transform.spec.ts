import { StoredUser } from '@userstream/contracts';
import {
  expectedUsers,
  fixtureUsers,
  USER_FIXTURES,
  type UserFixture,
} from '../../test/fixtures/randomuser/index.js';
import { toStoredUser, type UserRow } from '#src/users/user-row.js';
import { transformUser, type TransformResult } from './user-transform.js';

const now = new Date('2026-06-15T12:00:00.000Z');
const ingestedAt = new Date('2026-06-15T11:59:59.000Z');
const fetchedAt = new Date('2026-06-15T11:59:58.500Z');
const position = { topic: 'userstream.users.raw', partition: 3, offset: '9007199254740993' };
const meta = { source: 'randomuser', runId: 'run-1', fetchedAt, ingestedAt, position };

function ok(result: TransformResult): UserRow {
  if (!result.ok) {
    throw new Error(`expected a user, got: ${result.reason}`);
  }
  return result.user;
}

function reason(result: TransformResult): string {
  if (result.ok) {
    throw new Error(`expected a reason, got user ${result.user.id}`);
  }
  return result.reason;
}

const minimal = { name: { first: 'Ada', last: 'Lovelace' } };

describe('transformUser', () => {
  describe.each(USER_FIXTURES.map((name) => [name]))('%s', (name: UserFixture) => {
    it('stores every user with the expected fields', () => {
      const users = fixtureUsers(name);
      const expected = expectedUsers(name);
      expect(users).toHaveLength(expected.length);
      users.forEach((raw, i) => {
        const stored = toStoredUser(ok(transformUser(raw, meta, now)));
        expect(StoredUser.parse(stored)).toEqual(stored);
        expect(stored).toMatchObject(expected[i]!);
        expect(stored).toMatchObject({
          source: 'randomuser',
          runId: 'run-1',
          fetchedAt: '2026-06-15T11:59:58.500Z',
          ingestedAt: '2026-06-15T11:59:59.000Z',
          kafkaTopic: 'userstream.users.raw',
          kafkaPartition: 3,
          kafkaOffset: '9007199254740993',
          processedAt: '2026-06-15T12:00:00.000Z',
        });
      });
    });
  });

  it('computes ages from dob and now when the API sends none (1.0, 1.1)', () => {
    const [gb] = fixtureUsers('v1.0.json');
    const [de] = fixtureUsers('v1.1.json');
    expect(ok(transformUser(gb, meta, now)).age).toBe(42); // born 1983-07-24
    expect(ok(transformUser(de, meta, now)).age).toBe(57); // born 1968-10-03
    expect(ok(transformUser(de, meta, new Date('2025-10-03T00:00:00Z'))).age).toBe(57);
    expect(ok(transformUser(de, meta, new Date('2025-10-02T23:59:59Z'))).age).toBe(56);
  });

  it('keeps the API age of {date, age} dates as sent', () => {
    const [no] = fixtureUsers('v1.2.json');
    expect(ok(transformUser(no, meta, now)).age).toBe(31);
  });

  it('keeps non-ASCII names and e-mails, lower-cases e-mails and upper-cases nat', () => {
    const user = ok(
      transformUser(
        {
          name: { first: ' Çağla ', last: 'Öztürk' },
          email: 'Çağla.Öztürk@Example.com',
          nat: 'tr',
          phone: '(0) 5 ext 12',
        },
        meta,
        now,
      ),
    );
    expect(user).toMatchObject({
      firstName: 'Çağla',
      lastName: 'Öztürk',
      email: 'çağla.öztürk@example.com',
      nat: 'TR',
      country: 'Turkey',
      phone: '(0) 5 ext 12',
    });
  });

  it('turns missing sections into nulls', () => {
    const user = ok(transformUser(minimal, { source: 'synthetic', runId: null, ingestedAt: null }, now));
    expect(toStoredUser(user)).toMatchObject({
      title: null,
      email: null,
      username: null,
      dob: null,
      age: null,
      registered: null,
      street: null,
      postcode: null,
      country: null,
      latitude: null,
      nat: null,
      runId: null,
      fetchedAt: null,
      ingestedAt: null,
      kafkaTopic: null,
      kafkaPartition: null,
      kafkaOffset: null,
    });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('normalises postcodes, streets and coordinates', () => {
    const user = ok(
      transformUser(
        {
          ...minimal,
          location: {
            street: { number: '12', name: ' Storgata ' },
            postcode: 15,
            coordinates: { latitude: 'not a number', longitude: '' },
          },
          nat: 'XX',
        },
        meta,
        now,
      ),
    );
    expect(user).toMatchObject({ street: '12 Storgata', postcode: '15', latitude: null, longitude: null });
    expect(user.country).toBeNull(); // unknown nat: no guess
    const numeric = ok(
      transformUser(
        { ...minimal, location: { coordinates: { latitude: 52.5, longitude: '-0.1' } } },
        meta,
        now,
      ),
    );
    expect(numeric).toMatchObject({ latitude: 52.5, longitude: -0.1 });
  });

  it('reads every date encoding the API has used', () => {
    const dob = (value: unknown) =>
      ok(transformUser({ ...minimal, dob: value }, meta, now)).dob?.toISOString();
    expect(dob(427887729)).toBe('1983-07-24T09:42:09.000Z');
    expect(dob('1983-07-24 09:42:09')).toBe('1983-07-24T09:42:09.000Z');
    expect(dob({ date: '1983-07-24T09:42:09Z', age: 42 })).toBe('1983-07-24T09:42:09.000Z');
    expect(dob({ date: '1983-07-24T09:42:09.123Z', age: 42 })).toBe('1983-07-24T09:42:09.123Z');
    expect(dob('1983-07-24T11:42:09+02:00')).toBe('1983-07-24T09:42:09.000Z');
  });

  it.each([
    ['null', null, /not a user object \(got null\)/],
    ['a string', 'harvey', /not a user object \(got a string/],
    ['a number', 42, /not a user object \(got a number\)/],
    ['an array', [minimal], /not a user object \(got an array\)/],
    ['no name', { email: 'x@example.com' }, /name\.first and name\.last are required/],
    ['a blank name', { name: { first: '  ', last: 'Wood' } }, /name\.first and name\.last are required/],
    ['a name without last', { name: { first: 'Harvey' } }, /name\.last/],
    ['a number as first name', { name: { first: 42, last: 'Wood' } }, /name\.first/],
    ['a boolean postcode', { ...minimal, location: { postcode: true } }, /location\.postcode/],
    ['a null dob', { ...minimal, dob: null }, /dob/],
    ['a dob that is no date', { ...minimal, dob: 'yesterday' }, /dob: "yesterday" is not a date/],
    [
      'an impossible day',
      { ...minimal, dob: '2021-02-30 10:00:00' },
      /dob: "2021-02-30 10:00:00" is not a date/,
    ],
    [
      'a bad {date}',
      { ...minimal, registered: { date: '2021-13-01T00:00:00Z', age: 3 } },
      /registered\.date/,
    ],
    ['an empty date', { ...minimal, dob: { date: '', age: 3 } }, /dob\.date: "" is not a date/],
    ['a huge Unix time', { ...minimal, dob: 1e20 }, /dob: 100000000000000000000 is not a Unix time/],
  ])('refuses %s with a reason', (_case, value, expected) => {
    expect(reason(transformUser(value, meta, now))).toMatch(expected);
  });

  it('summarises several zod issues with their paths', () => {
    const why = reason(transformUser({ name: { first: 1, last: 2 }, email: 3 }, meta, now));
    expect(why).toMatch(/^invalid user: /);
    expect(why).toContain('name.first');
    expect(why).toContain('name.last');
    expect(why).toContain('email');
  });
});
