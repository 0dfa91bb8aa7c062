import { decodePayload, MASK, maskPersonalFields } from './message-codec.js';

const user = {
  gender: 'female',
  name: { title: 'Ms', first: 'Ada', last: 'Lovelace' },
  location: {
    street: { number: 12, name: 'Main St' },
    city: 'London',
    coordinates: { latitude: '51.5', longitude: '-0.12' },
    timezone: { offset: '+0:00', description: 'London' },
  },
  email: 'ada@example.com',
  login: { uuid: '0f8e3b1c-1111-4222-8333-444455556666', username: 'ada', password: 'secret' },
  dob: { date: '1815-12-10T00:00:00Z', age: 36 },
  phone: '+44 1',
  cell: '+44 2',
  id: { name: 'NINO', value: 'AB123456C' },
  picture: { large: 'https://x/l.jpg', medium: 'https://x/m.jpg', thumbnail: 'https://x/t.jpg' },
  nat: 'GB',
};

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

describe('decodePayload', () => {
  it('parses JSON objects and masks them when asked', () => {
    const bytes = Buffer.from(JSON.stringify(user));
    const masked = decodePayload(bytes, { mask: true });
    expect(masked).toMatchObject({ encoding: 'json', truncated: false, sizeBytes: bytes.length });
    expect((masked?.data as typeof user).email).toBe(MASK);
    expect((decodePayload(bytes, { mask: false })?.data as typeof user).email).toBe('ada@example.com');
  });

  it('shows UTF-8 that is not a JSON object or array as text', () => {
    expect(decodePayload(Buffer.from('héllo'), { mask: true })).toEqual({
      encoding: 'text',
      data: 'héllo',
      truncated: false,
      sizeBytes: 6,
    });
    expect(decodePayload(Buffer.from('42'), { mask: true })?.encoding).toBe('text');
    expect(decodePayload(Buffer.from('{not json'), { mask: true })).toMatchObject({
      encoding: 'text',
      data: '{not json',
    });
  });

  it('shows bytes that are not text as base64', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x81, 0x02]);
    expect(decodePayload(bytes, { mask: true })).toEqual({
      encoding: 'base64',
      data: bytes.toString('base64'),
      truncated: false,
      sizeBytes: 4,
    });
    expect(decodePayload(Buffer.from('a\u0001b'), { mask: true })?.encoding).toBe('base64');
  });

  it('cuts large values and says so; a large JSON value is masked before it is cut', () => {
    const big = { email: 'ada@example.com', padding: 'x'.repeat(200) };
    const decoded = decodePayload(Buffer.from(JSON.stringify(big)), { mask: true, limit: 64 });
    expect(decoded).toMatchObject({ encoding: 'text', truncated: true });
    expect(decoded?.data).toBe(JSON.stringify({ ...big, email: MASK }).slice(0, 64));
    const text = decodePayload(Buffer.from('é'.repeat(40)), { mask: false, limit: 7 });
    expect(text).toEqual({ encoding: 'text', data: 'ééé', truncated: true, sizeBytes: 80 });
    const binary = decodePayload(Buffer.alloc(100, 0xff), { mask: false, limit: 10 });
    expect(binary).toMatchObject({ encoding: 'base64', truncated: true, sizeBytes: 100 });
    expect(Buffer.from(binary?.data as string, 'base64')).toHaveLength(10);
  });

  it('keeps null as null', () => {
    expect(decodePayload(null, { mask: true })).toBeNull();
  });
});
