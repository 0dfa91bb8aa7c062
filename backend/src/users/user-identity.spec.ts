import { RawUser } from '@userstream/contracts';
import { fixtureUsers } from '../../test/fixtures/randomuser/index.js';
import { deriveUserId } from './user-identity.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const oldUser: RawUser = {
  name: { title: 'mr', first: 'harvey', last: 'wood' },
  email: 'harvey.wood@example.com',
  login: { username: 'bigduck482' },
  dob: 427887729,
  registered: 1148391846,
  phone: '017683 95013',
  nat: 'GB',
};

describe('deriveUserId', () => {
  it('uses login.uuid when it is one, lower-cased', () => {
    expect(deriveUserId({ login: { uuid: '3D8E6B21-F0A4-4C57-9E38-71B5C2D0A946' } })).toBe(
      '3d8e6b21-f0a4-4c57-9e38-71b5c2d0a946',
    );
  });

  it('derives a version-5 uuid when there is no usable uuid', () => {
    for (const uuid of [undefined, '', 'not-a-uuid', '00000000-0000-0000-0000-000000000000']) {
      const id = deriveUserId({ ...oldUser, login: { username: 'bigduck482', uuid } });
      expect(id).toMatch(UUID_V5);
      expect(id).toBe(deriveUserId(oldUser));
    }
  });

  it('is the same in every process: pinned for a fixed record', () => {
    // Computed independently (Python's uuid.uuid5 over the same canonical JSON). A change here would give every
    // stored pre-1.2 user a second row: change it only with a data migration.
    expect(deriveUserId(oldUser)).toBe('2564f25a-d45f-5249-a9db-0fe66e2e19b5');
  });

  it('ignores drifting ages and e-mail case, but not identifying content', () => {
    const withDates: RawUser = { ...oldUser, dob: { date: '1983-07-24T09:42:09Z', age: 35 } };
    expect(deriveUserId({ ...withDates, dob: { date: '1983-07-24T09:42:09Z', age: 36 } })).toBe(
      deriveUserId(withDates),
    );
    expect(deriveUserId({ ...oldUser, email: 'Harvey.Wood@Example.com' })).toBe(deriveUserId(oldUser));
    expect(deriveUserId({ ...oldUser, email: 'harvey.wood2@example.com' })).not.toBe(deriveUserId(oldUser));
    expect(deriveUserId({ ...oldUser, dob: 427887730 })).not.toBe(deriveUserId(oldUser));
    expect(deriveUserId({ ...oldUser, name: { first: 'harvey', last: 'woods' } })).not.toBe(
      deriveUserId(oldUser),
    );
  });

  it('gives each user of the uuid-less fixtures its own id', () => {
    const ids = [...fixtureUsers('v1.0.json'), ...fixtureUsers('v1.1.json')].map((user) =>
      deriveUserId(RawUser.parse(user)),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(UUID_V5);
    }
  });
});
