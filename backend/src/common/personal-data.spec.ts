import { StoredUser } from '@userstream/contracts';
import fc from 'fast-check';
import { storedUser } from '../../test/stored-user.js';
import {
  MASK,
  maskEmail,
  maskPersonalFields,
  maskPhone,
  maskStoredUser,
  PERSONAL_KEYS,
  PERSONAL_USER_FIELDS,
} from './personal-data.js';
import { rawUser as user } from '../../test/raw-user.js';

describe('maskPersonalFields', () => {
  it('masks the personal fields of a randomuser.me user and keeps the rest', () => {
    expect(maskPersonalFields(user)).toEqual({
      gender: 'female',
      name: { title: 'Ms', first: 'Ada', last: 'Lovelace' },
      location: {
        street: { number: MASK, name: MASK },
        city: 'London',
        coordinates: { latitude: MASK, longitude: MASK },
        timezone: { offset: '+0:00', description: 'London' },
      },
      email: MASK,
      login: { uuid: MASK, username: MASK, password: MASK },
      dob: { date: MASK, age: MASK },
      phone: MASK,
      cell: MASK,
      id: { name: 'NINO', value: MASK },
      picture: { large: MASK, medium: MASK, thumbnail: MASK },
      nat: 'GB',
    });
  });

  it('masks users inside envelopes and arrays, and the processed shape', () => {
    const masked = maskPersonalFields({
      results: [{ email: 'a@b.c', nat: 'FR' }],
      stored: {
        id: 'u1',
        username: 'ada',
        pictureLarge: 'x',
        latitude: 1.5,
        street: '12 Main St',
        city: 'Paris',
      },
    });
    expect(masked).toEqual({
      results: [{ email: MASK, nat: 'FR' }],
      stored: { id: 'u1', username: MASK, pictureLarge: MASK, latitude: MASK, street: MASK, city: 'Paris' },
    });
  });

  it("masks a dead letter's original bytes but not its reason, and leaves nulls and a top-level `value` alone", () => {
    expect(maskPersonalFields({ reason: 'bad', value: 'eyJlbWFpbCI6ImEifQ==', topic: 't' })).toEqual({
      reason: 'bad',
      value: MASK,
      topic: 't',
    });
    expect(maskPersonalFields({ value: 'plain', email: null })).toEqual({ value: 'plain', email: null });
  });
});

const ada: StoredUser = storedUser({
  id: 'u1',
  title: 'Ms',
  firstName: 'Ada',
  lastName: 'Lovelace',
  gender: 'female',
  email: 'ada.lovelace@example.com',
  username: 'ada1815',
  dob: '1815-12-10T00:00:00.000Z',
  age: 36,
  registered: '2010-01-01T00:00:00.000Z',
  phone: '(020) 7946-0018',
  cell: '+44 7700 900123',
  pictureLarge: 'https://x/l.jpg',
  pictureMedium: 'https://x/m.jpg',
  pictureThumbnail: 'https://x/t.jpg',
  street: '12 Main St',
  city: 'London',
  state: 'Greater London',
  country: 'United Kingdom',
  postcode: 'W1 1AA',
  latitude: 51.5,
  longitude: -0.12,
  nat: 'GB',
  source: 'synthetic',
  runId: 'r1',
  processedAt: '2024-01-01T00:00:00.000Z',
});

describe('maskEmail and maskPhone', () => {
  it('keep the shape and hide the person', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskEmail('no-at-sign')).toBe(MASK);
    expect(maskEmail('@example.com')).toBe(MASK);
    expect(maskEmail('jane@')).toBe(MASK);
    expect(maskPhone('(555) 123-4567')).toBe('(***) ***-****');
    expect(maskPhone('+44 7700 900123')).toBe('+** **** ******');
  });

  it('never leave the local part of an address or any digit of a number', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const masked = maskEmail(email);
        // the local part is one letter and the mask, whatever its length; the domain stays
        expect(masked.slice(0, masked.lastIndexOf('@'))).toBe(`${email.charAt(0)}${MASK}`);
        expect(masked.slice(masked.lastIndexOf('@'))).toBe(email.slice(email.lastIndexOf('@')));
      }),
    );
    fc.assert(fc.property(fc.string(), (phone) => expect(maskPhone(phone)).not.toMatch(/[\p{L}\p{N}]/u)));
  });
});

describe('maskStoredUser', () => {
  it('masks contact, address, coordinates, birth date, handle and pictures, keeping the type', () => {
    const masked = maskStoredUser(ada);
    expect(StoredUser.parse(masked)).toEqual(masked);
    expect(masked).toEqual({
      ...ada,
      email: 'a***@example.com',
      username: 'a***',
      phone: '(***) ****-****',
      cell: '+** **** ******',
      street: MASK,
      dob: null,
      latitude: null,
      longitude: null,
      pictureLarge: null,
      pictureMedium: null,
      pictureThumbnail: null,
    });
    // nothing personal survives anywhere in the serialised user
    const text = JSON.stringify(masked);
    for (const secret of [
      'ada.lovelace',
      'ada1815',
      '7946',
      '900123',
      'Main St',
      '1815-12-10',
      '51.5',
      'x/t.jpg',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(ada.email).toBe('ada.lovelace@example.com');
  });

  it('leaves empty fields empty', () => {
    const bare = storedUser({ id: 'u2', firstName: 'A', lastName: 'B', source: 's', processedAt: 'now' });
    expect(maskStoredUser(bare)).toEqual(bare);
  });

  it('covers exactly the served fields the topic masking calls personal', () => {
    const servedPersonal = StoredUser.keyof().options.filter((key) => PERSONAL_KEYS.has(key));
    expect([...PERSONAL_USER_FIELDS].sort()).toEqual([...servedPersonal].sort());
    expect(maskPersonalFields(ada)).toEqual(
      Object.fromEntries(
        Object.entries(ada).map(([key, value]) => [
          key,
          PERSONAL_KEYS.has(key) && value !== null ? MASK : value,
        ]),
      ),
    );
  });
});
