import { decodeSeedUser, SEED_COLUMNS, SEED_VALUE_MAX_BYTES, type SeedRow } from './seed-user.transform.js';

/** A record as the tutorial's producer (`format_data` + `json.dumps`) sends it. */
const tutorialRecord = {
  id: '2f1d3c4e-8a9b-4c5d-9e0f-1a2b3c4d5e6f',
  first_name: 'Eva',
  last_name: 'Kristensen',
  gender: 'female',
  address: '8518 Mill Road, Ennis, Leitrim, Ireland',
  post_code: 42217,
  email: 'eva.kristensen@example.com',
  username: 'bluebird412',
  dob: '1984-05-26T08:31:13.410Z',
  registered_date: '2013-02-04T16:41:20.602Z',
  phone: '061-429-0913',
  picture: 'https://randomuser.me/api/portraits/med/women/12.jpg',
};

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

function row(value: Buffer | null): SeedRow {
  const decoded = decodeSeedUser(value);
  if (!decoded.ok) {
    throw new Error(`expected a row, got: ${decoded.reason}`);
  }
  return decoded.row;
}

function reason(value: Buffer | null): string {
  const decoded = decodeSeedUser(value);
  if (decoded.ok) {
    throw new Error(`expected a reason, got row ${decoded.row.id}`);
  }
  return decoded.reason;
}

describe('decodeSeedUser', () => {
  it("maps the tutorial's record onto its table's eleven text columns", () => {
    expect(row(encode(tutorialRecord))).toEqual({
      id: '2f1d3c4e-8a9b-4c5d-9e0f-1a2b3c4d5e6f',
      first_name: 'Eva',
      last_name: 'Kristensen',
      gender: 'female',
      address: '8518 Mill Road, Ennis, Leitrim, Ireland',
      post_code: '42217',
      email: 'eva.kristensen@example.com',
      username: 'bluebird412',
      registered_date: '2013-02-04T16:41:20.602Z',
      phone: '061-429-0913',
      picture: 'https://randomuser.me/api/portraits/med/women/12.jpg',
    });
    expect(Object.keys(row(encode(tutorialRecord)))).toEqual([...SEED_COLUMNS]);
  });

  it('keeps a string post code as sent, and takes a record without dob', () => {
    const { dob: _dob, ...withoutDob } = tutorialRecord;
    expect(row(encode({ ...withoutDob, post_code: 'EC1A 1BB' })).post_code).toBe('EC1A 1BB');
    expect(row(encode({ ...tutorialRecord, post_code: '01234' })).post_code).toBe('01234');
  });

  it('stores the text exactly as sent: no trimming, case or accent changes', () => {
    const decoded = row(encode({ ...tutorialRecord, first_name: ' Ågot ', email: 'MiXeD@Example.COM' }));
    expect(decoded).toMatchObject({ first_name: ' Ågot ', email: 'MiXeD@Example.COM' });
  });

  it('lower-cases the id, as Cassandra answers it', () => {
    const upper = tutorialRecord.id.toUpperCase();
    expect(row(encode({ ...tutorialRecord, id: upper })).id).toBe(tutorialRecord.id);
  });

  it('ignores fields the table has no column for', () => {
    expect(row(encode({ ...tutorialRecord, nat: 'IE', extra: { a: 1 } }))).not.toHaveProperty('nat');
  });

  it.each([
    ['an absent value', null, /empty value/],
    ['an empty value', Buffer.alloc(0), /empty value/],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), /not valid UTF-8/],
    ['text that is not JSON', Buffer.from('not json at all'), /not JSON/],
    ['truncated JSON', Buffer.from('{"id": "2f1d3c4e-'), /not JSON/],
    ['a JSON array', Buffer.from('[1, 2]'), /not a seed user object \(got an array\)/],
    ['JSON null', Buffer.from('null'), /not a seed user object \(got null\)/],
    ['a JSON string', Buffer.from('"hello"'), /not a seed user object \(got a string "hello"\)/],
    ['an oversized value', Buffer.alloc(SEED_VALUE_MAX_BYTES + 1, 0x61), /exceeds 16384/],
  ])('refuses %s', (_, value, expected) => {
    expect(reason(value)).toMatch(expected);
  });

  it('refuses a record without an id, or whose id is not a UUID', () => {
    const { id: _id, ...withoutId } = tutorialRecord;
    expect(reason(encode(withoutId))).toBe('no id');
    expect(reason(encode({ ...tutorialRecord, id: null }))).toBe('id is not a UUID (got null)');
    expect(reason(encode({ ...tutorialRecord, id: 'not-a-uuid' }))).toBe(
      'id is not a UUID (got a string "not-a-uuid")',
    );
    expect(reason(encode({ ...tutorialRecord, id: 42 }))).toBe('id is not a UUID (got a number)');
    // `uuid4().hex` has no dashes: the tutorial's Spark job could not store it either
    expect(reason(encode({ ...tutorialRecord, id: '2f1d3c4e8a9b4c5d9e0f1a2b3c4d5e6f' }))).toMatch(
      /not a UUID/,
    );
  });

  it('names every field of the wrong type or missing', () => {
    const { email: _email, ...withoutEmail } = tutorialRecord;
    const text = reason(encode({ ...withoutEmail, first_name: 7, post_code: true, dob: 1984 }));
    expect(text).toMatch(/^invalid seed user: /);
    expect(text).toMatch(/first_name/);
    expect(text).toMatch(/post_code/);
    expect(text).toMatch(/email/);
    expect(text).toMatch(/dob/);
  });

  it('takes a value right at the size limit', () => {
    const base = JSON.stringify(tutorialRecord);
    const padded = base.replace('"Eva"', `"Eva${' '.repeat(SEED_VALUE_MAX_BYTES - base.length)}"`);
    expect(Buffer.byteLength(padded)).toBe(SEED_VALUE_MAX_BYTES);
    expect(row(Buffer.from(padded)).first_name).toHaveLength(3 + SEED_VALUE_MAX_BYTES - base.length);
  });
});
