import { loadConfig } from '#src/config/config.module.js';
import type { ApiTokenEntity } from './api-token.entity.js';
import type { ApiTokensRepository } from './api-tokens.repository.js';
import { AuthService } from './auth.service.js';
import { hashToken } from './token-secret.js';

/** An in-memory stand-in for the repository, counting the lookups that would reach PostgreSQL. */
class FakeTokens implements Pick<ApiTokensRepository, 'create' | 'findByHash' | 'revoke' | 'touch'> {
  readonly rows = new Map<string, ApiTokenEntity & { tokenHash: string }>();
  lookups = 0;
  touches: string[] = [];

  create(fields: Parameters<ApiTokensRepository['create']>[0]): Promise<ApiTokenEntity> {
    const row = {
      ...fields,
      id: `id-${this.rows.size + 1}`,
      createdAt: new Date(),
      revokedAt: null,
      lastUsedAt: null,
    };
    this.rows.set(row.id, row);
    return Promise.resolve(row);
  }

  findByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    this.lookups++;
    const row = [...this.rows.values()].find((candidate) => candidate.tokenHash === tokenHash);
    return Promise.resolve(row ? { ...row } : null);
  }

  revoke(id: string, at: Date): Promise<ApiTokenEntity | null> {
    const row = this.rows.get(id);
    if (row) {
      row.revokedAt ??= at;
    }
    return Promise.resolve(row ?? null);
  }

  touch(id: string): Promise<void> {
    this.touches.push(id);
    return Promise.resolve();
  }
}

const IP = '192.0.2.1';
const setup = (env: Record<string, string> = {}) => {
  const tokens = new FakeTokens();
  const service = new AuthService(
    loadConfig({ AUTH_MODE: 'token', ...env }),
    tokens as unknown as ApiTokensRepository,
  );
  return { tokens, service };
};
const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);

describe('AuthService', () => {
  it('issues a token once, stores only its hash, and authenticates it with its role', async () => {
    const { tokens, service } = setup();
    const created = await service.create({ name: 'ci', role: 'operator' });
    expect(created.token).toMatch(/^us_/);
    expect(tokens.rows.get(created.id)?.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify([...tokens.rows.values()])).not.toContain(created.token);
    await expect(service.authenticate(created.token, IP)).resolves.toEqual({
      name: 'ci',
      role: 'operator',
      tokenId: created.id,
    });
  });

  it.each([
    [undefined, 'AUTH_TOKEN_MISSING'],
    ['us_not-a-token', 'AUTH_TOKEN_INVALID'],
  ])('answers %s with 401 %s', async (token, code) => {
    const { service } = setup();
    await expect(service.authenticate(token, IP)).rejects.toMatchObject({
      status: 401,
      response: { code },
    });
  });

  it('refuses an expired token and a revoked one with their own codes', async () => {
    const { service } = setup();
    const expiring = await service.create({ name: 'short', role: 'viewer', expiresInDays: 1 }, at(0));
    await expect(service.authenticate(expiring.token, IP, at(3600_000))).resolves.toBeDefined();
    await expect(service.authenticate(expiring.token, IP, at(25 * 3600_000))).rejects.toMatchObject({
      response: { code: 'AUTH_TOKEN_EXPIRED' },
    });
    const revoked = await service.create({ name: 'gone', role: 'admin' });
    await service.authenticate(revoked.token, IP); // cached now
    await service.revoke(revoked.id);
    await expect(service.authenticate(revoked.token, IP)).rejects.toMatchObject({
      response: { code: 'AUTH_TOKEN_REVOKED' },
    });
  });

  it('looks a token up at most once per 5 s, unknown tokens included', async () => {
    const { tokens, service } = setup();
    const { token } = await service.create({ name: 'ci', role: 'viewer' });
    for (let i = 0; i < 10; i++) {
      await service.authenticate(token, IP, at(i * 100));
    }
    expect(tokens.lookups).toBe(1);
    await service.authenticate(token, IP, at(5_001));
    expect(tokens.lookups).toBe(2);
    for (let i = 0; i < 3; i++) {
      await service.authenticate('us_unknown', IP, at(0)).catch(() => undefined);
    }
    expect(tokens.lookups).toBe(3);
  });

  it('records the last use at most once a minute', async () => {
    const { tokens, service } = setup();
    const { token, id } = await service.create({ name: 'ci', role: 'viewer' });
    for (let s = 0; s <= 130; s += 10) {
      await service.authenticate(token, IP, at(s * 1000));
    }
    expect(tokens.touches).toEqual([id, id, id]); // at 0 s, 60 s and 120 s
  });

  it('charges made-up tokens to the caller address before looking them up: a flood gets 429s, not queries', async () => {
    const { tokens, service } = setup({ RATE_LIMIT_AUTH_PER_MINUTE: '5' });
    const { token } = await service.create({ name: 'ci', role: 'viewer' });
    await service.authenticate(token, IP); // known valid from now on
    const codes: unknown[] = [];
    for (let i = 0; i < 50; i++) {
      await service.authenticate(`us_random-${i}`, IP).catch((error: { response: { code: unknown } }) => {
        codes.push(error.response.code);
      });
    }
    // the first lookup was the valid token's, which is charged too: it was not known then
    expect(tokens.lookups).toBe(5);
    expect(codes.filter((code) => code === 'AUTH_TOKEN_INVALID')).toHaveLength(4);
    expect(codes.filter((code) => code === 'AUTH_TOO_MANY_FAILURES')).toHaveLength(46);
    // a known token from that address still works, and another address has its own budget
    await expect(service.authenticate(token, IP)).resolves.toMatchObject({ name: 'ci' });
    await expect(service.authenticate('us_other', '192.0.2.2')).rejects.toMatchObject({ status: 401 });
  });

  it('runs at most 3 lookups of unknown tokens at once, whatever addresses they claim to come from', async () => {
    const { tokens, service } = setup();
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const findByHash = tokens.findByHash.bind(tokens);
    tokens.findByHash = async (hash) => {
      await gate;
      return findByHash(hash);
    };
    const results = Array.from({ length: 20 }, (_, i) =>
      service.authenticate(`us_random-${i}`, `198.51.100.${i}`).then(
        () => 'ok',
        (error: { response: { code: string } }) => error.response.code,
      ),
    );
    release();
    const codes = await Promise.all(results);
    expect(codes.filter((code) => code === 'AUTH_TOKEN_INVALID')).toHaveLength(3);
    expect(codes.filter((code) => code === 'AUTH_BUSY')).toHaveLength(17);
  });

  it('shares one lookup among concurrent requests with the same token, charged once', async () => {
    const { tokens, service } = setup({ RATE_LIMIT_AUTH_PER_MINUTE: '1' });
    const { token } = await service.create({ name: 'ci', role: 'viewer' });
    await Promise.all(Array.from({ length: 5 }, () => service.authenticate(token, IP)));
    expect(tokens.lookups).toBe(1);
  });

  it('404s revoking a token that does not exist', async () => {
    const { service } = setup();
    await expect(service.revoke('nope')).rejects.toMatchObject({ status: 404 });
  });
});
