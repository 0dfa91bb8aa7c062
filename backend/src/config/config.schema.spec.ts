import { DEV_CURSOR_SECRET, isLoopbackHost, parseEnv } from './config.schema.js';

const SECRET = 'a'.repeat(32);

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '192.168.1.10', 'backend', '127.0.0.1.evil.example'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('parseEnv: safe by default', () => {
  it('listens on loopback with no authentication when nothing is set', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ HOST: '127.0.0.1', AUTH_MODE: 'none', CURSOR_SECRET: DEV_CURSOR_SECRET });
  });

  it('refuses AUTH_MODE=none and the development cursor secret on any other address', () => {
    expect(() => parseEnv({ HOST: '0.0.0.0' })).toThrow(
      /AUTH_MODE: none is refused when HOST=0\.0\.0\.0[\s\S]*CURSOR_SECRET: the development default is refused/,
    );
  });

  it('refuses them with NODE_ENV=production, even on loopback (a proxy on the machine may expose it)', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /AUTH_MODE: none is refused with NODE_ENV=production[\s\S]*CURSOR_SECRET: the development default is refused with NODE_ENV=production/,
    );
    const env = parseEnv({ NODE_ENV: 'production', AUTH_MODE: 'token', CURSOR_SECRET: SECRET });
    expect(env.NODE_ENV).toBe('production');
  });

  it('takes any address with tokens and a secret of its own', () => {
    const env = parseEnv({
      HOST: '0.0.0.0',
      AUTH_MODE: 'token',
      AUTH_ADMIN_TOKEN: SECRET,
      CURSOR_SECRET: SECRET,
    });
    expect(env.HOST).toBe('0.0.0.0');
  });

  it('does not ask it of a processor, which serves no HTTP', () => {
    expect(parseEnv({ HOST: '0.0.0.0', APP_ROLE: 'processor' }).APP_ROLE).toBe('processor');
  });

  it('reads ALLOWED_HOSTS as a list', () => {
    expect(parseEnv({ ALLOWED_HOSTS: 'backend, api.internal' }).ALLOWED_HOSTS).toEqual([
      'backend',
      'api.internal',
    ]);
    expect(parseEnv({ ALLOWED_HOSTS: '' }).ALLOWED_HOSTS).toBeUndefined();
  });

  it('keeps 24 h of history by default and refuses a retention that is not a whole number of hours from 1', () => {
    expect(parseEnv({}).HISTORY_RETENTION_HOURS).toBe(24);
    expect(parseEnv({ HISTORY_RETENTION_HOURS: '168' }).HISTORY_RETENTION_HOURS).toBe(168);
    for (const bad of ['0', '1.5', 'a day', '100000']) {
      expect(() => parseEnv({ HISTORY_RETENTION_HOURS: bad })).toThrow(/HISTORY_RETENTION_HOURS/);
    }
  });

  it('trusts no proxy by default; TRUST_PROXY takes a hop count or addresses, subnets and names', () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => parseEnv({ TRUST_PROXY: 'the-dashboard' })).toThrow(/TRUST_PROXY: invalid IP address/);
  });
});
