import { SeedUser } from '@userstream/contracts';
import { fixtureUsers, USER_FIXTURES } from '../../../test/fixtures/randomuser/index.js';
import { deriveUserId } from '#src/users/user-identity.js';
import { SyntheticSource } from '../sources/synthetic/synthetic.source.js';
import { toSeedUser } from './seed-user.format.js';

describe('toSeedUser', () => {
  it("maps an API 1.4 user field by field, as the tutorial's format_data does", async () => {
    const user = (await new SyntheticSource({ seed: 'seed-format' }).ready()).userAt(7);
    const { location } = user;
    expect(toSeedUser(user)).toEqual({
      id: user.login.uuid,
      first_name: user.name.first,
      last_name: user.name.last,
      gender: user.gender,
      address: `${location.street.number} ${location.street.name}, ${location.city}, ${location.state}, ${location.country}`,
      post_code: location.postcode,
      email: user.email,
      username: user.login.username,
      dob: user.dob.date,
      registered_date: user.registered.date,
      phone: user.phone,
      picture: user.picture.medium,
    });
  });

  it('keeps a numeric post code a number and a textual one text', () => {
    const base = fixtureUsers('v1.4.json')[0] as { location: Record<string, unknown> };
    const withCode = (postcode: unknown) => ({ ...base, location: { ...base.location, postcode } });
    expect(toSeedUser(withCode(48217)).post_code).toBe(48217);
    expect(toSeedUser(withCode('W8 9DY')).post_code).toBe('W8 9DY');
  });

  it('makes a valid SeedUser of every full user fixture, its id the one userstream stores it under', () => {
    for (const fixture of USER_FIXTURES.filter((name) => name !== 'inc-partial.json')) {
      for (const user of fixtureUsers(fixture)) {
        const record = toSeedUser(user);
        expect(() => SeedUser.parse(record)).not.toThrow();
        expect(record.id).toBe(deriveUserId(user as never));
      }
    }
  });

  it('joins the parts an old API version sends: one street string, no country', () => {
    const user = {
      location: { street: '4521 church road', city: 'worcester', state: 'west midlands', postcode: 'W8 9DY' },
    };
    expect(toSeedUser(user).address).toBe('4521 church road, worcester, west midlands');
  });

  it('derives the same id for the same user without login.uuid, so a refetch overwrites its row', () => {
    const user = { name: { first: 'a', last: 'b' }, email: 'a.b@example.com' };
    expect(toSeedUser(user).id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(toSeedUser({ ...user }).id).toBe(toSeedUser(user).id);
  });

  it('leaves out what a partial user lacks, so the processor dead-letters it with a reason', () => {
    const [partial] = fixtureUsers('inc-partial.json');
    const record = toSeedUser(partial);
    expect(record).toMatchObject({ first_name: 'Aatu', last_name: 'Laitinen', username: 'silverlion776' });
    expect(JSON.parse(JSON.stringify(record))).not.toHaveProperty('address');
    expect(SeedUser.safeParse(record).success).toBe(false);
    expect(toSeedUser('not a user')).toEqual({});
    expect(toSeedUser(null)).toEqual({});
  });
});
