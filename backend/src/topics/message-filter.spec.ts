import { rawUser } from '../../test/raw-user.js';
import { compileFilter, type MessageFilters, personalSegment, valueAt } from './message-filter.js';
import type { RawMessage } from '#src/kafka/topic-messages.repository.js';

const message = (
  value: unknown,
  key: string | null = 'user-42',
  headers: Record<string, string> = {},
): RawMessage => ({
  partition: 0,
  offset: 0,
  timestamp: 0,
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers: Object.entries(headers).map(([name, text]) => ({ key: name, value: Buffer.from(text) })),
});
const user = message({
  ...rawUser,
  location: { ...rawUser.location, country: 'France' },
  age: 36,
  vip: true,
});
const matches = (filters: Partial<MessageFilters>, target: RawMessage, mask = false) =>
  compileFilter({ keyMatch: 'contains', ...filters }, { mask })(target);

describe('compileFilter', () => {
  it('matches a key that contains the text (case ignored) or equals it', () => {
    expect(matches({ key: 'USER-4' }, user)).toBe(true);
    expect(matches({ key: 'user-4', keyMatch: 'equals' }, user)).toBe(false);
    expect(matches({ key: 'user-42', keyMatch: 'equals' }, user)).toBe(true);
    expect(matches({ key: 'user' }, message({}, null))).toBe(false);
  });

  it('matches a header by name, and by exact value when given', () => {
    const withHeader = message({}, null, { 'x-source': 'synthetic' });
    expect(matches({ header: 'x-source' }, withHeader)).toBe(true);
    expect(matches({ header: 'x-source', headerValue: 'synthetic' }, withHeader)).toBe(true);
    expect(matches({ header: 'x-source', headerValue: 'synth' }, withHeader)).toBe(false);
    expect(matches({ header: 'X-Source' }, withHeader)).toBe(false);
  });

  it('matches text in the value, case ignored, JSON or not', () => {
    expect(matches({ text: 'lovelace' }, user)).toBe(true);
    expect(matches({ text: 'not here' }, user)).toBe(false);
    expect(matches({ text: 'PLAIN' }, message('a plain line'))).toBe(true);
  });

  it('matches a JSON field equal to a value: strings exactly, other scalars by their JSON text', () => {
    expect(matches({ field: 'location.country', fieldValue: 'France' }, user)).toBe(true);
    expect(matches({ field: 'location.country', fieldValue: 'france' }, user)).toBe(false);
    expect(matches({ field: 'age', fieldValue: '36' }, user)).toBe(true);
    expect(matches({ field: 'vip', fieldValue: 'true' }, user)).toBe(true);
    expect(matches({ field: 'location', fieldValue: 'London' }, user)).toBe(false);
    expect(matches({ field: 'location.country', fieldValue: 'France' }, message('not json'))).toBe(false);
    expect(matches({ field: 'results.0.name', fieldValue: 'x' }, message({ results: [{ name: 'x' }] }))).toBe(
      true,
    );
  });

  it('needs every given filter to match', () => {
    expect(matches({ key: 'user', text: 'London', field: 'age', fieldValue: '36' }, user)).toBe(true);
    expect(matches({ key: 'user', text: 'Paris' }, user)).toBe(false);
  });

  it('masked, matches only what a masked reader is shown', () => {
    expect(matches({ text: 'ada@example.com' }, user, true)).toBe(false);
    expect(matches({ text: 'ada@example.com' }, user, false)).toBe(true);
    expect(matches({ text: 'Lovelace' }, user, true)).toBe(true);
    // a dead letter's original record is masked whole
    const deadLetter = message({ reason: 'invalid', value: Buffer.from('secret').toString('base64') });
    expect(
      matches({ field: 'value', fieldValue: Buffer.from('secret').toString('base64') }, deadLetter, true),
    ).toBe(false);
  });
});

describe('personalSegment and valueAt', () => {
  it('names the personal part of a field path', () => {
    expect(personalSegment('email')).toBe('email');
    expect(personalSegment('login.username')).toBe('login');
    expect(personalSegment('results.0.location.street.name')).toBe('street');
    expect(personalSegment('id.value')).toBe('value');
    expect(personalSegment('location.country')).toBeUndefined();
    expect(personalSegment('value')).toBeUndefined();
  });

  it('reads own keys and array indexes only', () => {
    expect(valueAt({ a: [{ b: 1 }] }, 'a.0.b')).toBe(1);
    expect(valueAt({ a: [1] }, 'a.x')).toBeUndefined();
    expect(valueAt({}, 'constructor')).toBeUndefined();
  });
});
