import { UnauthorizedException } from '@nestjs/common';
import { bearerToken, handshakeToken, redactAccessToken } from './bearer-token.js';

describe('bearer tokens', () => {
  it('reads "Authorization: Bearer <token>", case-insensitive scheme', () => {
    expect(bearerToken({ authorization: 'Bearer us_abc' })).toBe('us_abc');
    expect(bearerToken({ authorization: 'bearer  us_abc ' })).toBe('us_abc');
    expect(bearerToken({})).toBeUndefined();
    expect(bearerToken({ authorization: '' })).toBeUndefined();
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'us_abc'])('refuses "%s" as invalid', (header) => {
    expect(() => bearerToken({ authorization: header })).toThrow(UnauthorizedException);
  });

  it('takes a socket.io handshake token from auth, the header, or the query, in that order', () => {
    expect(handshakeToken({ headers: {}, query: { access_token: 'q' }, auth: { token: 'a' } })).toBe('a');
    expect(handshakeToken({ headers: { authorization: 'Bearer h' }, query: { access_token: 'q' } })).toBe(
      'h',
    );
    expect(handshakeToken({ headers: {}, query: { access_token: 'q' } })).toBe('q');
    expect(handshakeToken({ headers: {}, query: {} })).toBeUndefined();
  });

  it('masks access_token in URLs for the logs', () => {
    expect(redactAccessToken('/socket.io/?EIO=4&access_token=us_secret&t=1')).toBe(
      '/socket.io/?EIO=4&access_token=[Redacted]&t=1',
    );
    expect(redactAccessToken('/x?access_token=us_secret')).toBe('/x?access_token=[Redacted]');
    expect(redactAccessToken('/api/runs?page=2')).toBe('/api/runs?page=2');
  });
});
