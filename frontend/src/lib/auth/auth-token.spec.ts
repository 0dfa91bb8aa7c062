import { withAuthorization } from './auth-token';

describe('withAuthorization', () => {
  const base = { accept: 'application/json' };

  it('adds a bearer authorization header when a token is set', () => {
    expect(withAuthorization(base, 'abc.def')).toEqual({
      accept: 'application/json',
      authorization: 'Bearer abc.def',
    });
  });

  it('trims the token as pasted', () => {
    expect(withAuthorization(base, '  abc \n')).toHaveProperty('authorization', 'Bearer abc');
  });

  it.each([null, undefined, '', '   '])('leaves the headers alone without a token (%p)', (token) => {
    expect(withAuthorization(base, token)).toEqual(base);
  });

  it('does not change the headers it was given', () => {
    withAuthorization(base, 'abc');
    expect(base).toEqual({ accept: 'application/json' });
  });
});
