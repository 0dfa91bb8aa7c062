import { reasonKind } from './reason-kind.js';

describe('reasonKind', () => {
  it.each([
    ['empty value', 'empty'],
    ['value of 614400 bytes exceeds 524288', 'too_large'],
    ['value of 20000 bytes exceeds 16384 (a seed user is about 400)', 'too_large'],
    ['value is not valid UTF-8', 'not_utf8'],
    ['value is not JSON: Unexpected token o in JSON at position 1', 'not_json'],
    ['not a user object (got an array)', 'not_an_object'],
    ['not a seed user object (got null)', 'not_an_object'],
    ['no id', 'missing_id'],
    ['id is not a UUID (got a string "42")', 'missing_id'],
    ['invalid user: name.first: Invalid input: expected string, received number', 'invalid_fields'],
    ['invalid seed user: email: Invalid input', 'invalid_fields'],
    ['name.first and name.last are required and must not be blank', 'invalid_fields'],
    ['dob.date: "not a date" is not a date', 'invalid_fields'],
    ['registered: 99999999999999 is not a Unix time', 'invalid_fields'],
    ['dob.age: 3000000000 does not fit a Cassandra int', 'store_limit'],
    ['email: 9000 bytes exceed the 8192-byte limit of its search index', 'store_limit'],
    ['the store refused the record: Value 3000000000 is out of bounds', 'store_refused'],
    // a reason that names a check's wording later on is still the store's refusal
    ['the store refused the record: value is not JSON', 'store_refused'],
    ['something nobody wrote yet', 'other'],
  ] as const)('%s -> %s', (reason, kind) => {
    expect(reasonKind(reason)).toBe(kind);
  });
});
