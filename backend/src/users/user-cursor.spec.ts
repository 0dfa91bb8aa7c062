import { randomBytes } from 'node:crypto';
import { InvalidCursorError, UserCursorSigner } from './user-cursor.js';

const signer = new UserCursorSigner('a-test-secret-of-enough-length');
const filters = { country: 'Germany', ageMin: 20, ageMax: 40, runId: 'run-1', email: undefined };
const pageState = randomBytes(37);

/** Replaces the character at `index` with another base64url character. */
const alter = (text: string, index: number) =>
  text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1);

describe('UserCursorSigner', () => {
  it('gives back the page state of a cursor it signed, for the same filters', () => {
    const cursor = signer.sign(pageState, filters);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(signer.verify(cursor, filters)).toEqual(pageState);
  });

  it('ignores the order of the filters and the ones not set', () => {
    const cursor = signer.sign(pageState, filters);
    expect(signer.verify(cursor, { runId: 'run-1', ageMax: 40, ageMin: 20, country: 'Germany' })).toEqual(
      pageState,
    );
  });

  it.each([
    ['another value', { ...filters, country: 'France' }],
    ['one filter more', { ...filters, gender: 'female' }],
    ['one filter less', { ...filters, runId: undefined }],
    ['a number as a string', { ...filters, ageMin: '20' }],
    ['no filters', {}],
  ])('refuses a cursor reused with other filters: %s', (_name, other) => {
    const cursor = signer.sign(pageState, filters);
    expect(() => signer.verify(cursor, other)).toThrow(InvalidCursorError);
  });

  it('refuses any single altered character, in the page state or the signature', () => {
    const cursor = signer.sign(pageState, filters);
    for (let i = 0; i < cursor.length; i++) {
      if (cursor[i] === '.') {
        continue;
      }
      expect(() => signer.verify(alter(cursor, i), filters)).toThrow(InvalidCursorError);
    }
  });

  it('refuses a page state signed with another secret or forged without one', () => {
    const other = new UserCursorSigner('another-secret-of-enough-length');
    expect(() => signer.verify(other.sign(pageState, filters), filters)).toThrow(InvalidCursorError);
    const forged = `${randomBytes(20).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
    expect(() => signer.verify(forged, filters)).toThrow(InvalidCursorError);
  });

  it('refuses a signature of another page state, a truncated signature and malformed text', () => {
    const [state, mac] = signer.sign(pageState, filters).split('.') as [string, string];
    const [otherState] = signer.sign(randomBytes(37), filters).split('.') as [string, string];
    for (const cursor of [
      `${otherState}.${mac}`,
      `${state}.${mac.slice(0, -4)}`,
      `${state}.`,
      `.${mac}`,
      state,
      `${state}.${mac}.${mac}`,
      `${state}==.${mac}`,
      '',
    ]) {
      expect(() => signer.verify(cursor, filters)).toThrow(InvalidCursorError);
    }
  });
});
