import { loadConfig } from '../config/config.module.js';
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
    if (row) row.revokedAt ??= at;
    return Promise.resolve(row ?? null);
  }

  touch(id: string): Promise<void> {
    this.touches.push(id);
    return Promise.resolve();
  }
}

const setup = () => {
  const tokens = new FakeTokens();
  const service = new AuthService(
    loadConfig({ AUTH_MODE: 'token' }),
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
    await expect(service.authenticate(created.token)).resolves.toEqual({
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
    await expect(service.authenticate(token)).rejects.toMatchObject({
      status: 401,
      response: { code },
    });
  });

  it('refuses an expired token and a revoked one with their own codes', async () => {
    const { service } = setup();
    const expiring = await service.create({ name: 'short', role: 'viewer', expiresInDays: 1 }, at(0));
    await expect(service.authenticate(expiring.token, at(3600_000))).resolves.toBeDefined();
    await expect(service.authenticate(expiring.token, at(25 * 3600_000))).rejects.toMatchObject({
      response: { code: 'AUTH_TOKEN_EXPIRED' },
    });
    const revoked = await service.create({ name: 'gone', role: 'admin' });
    await service.authenticate(revoked.token); // cached now
    await service.revoke(revoked.id);
    await expect(service.authenticate(revoked.token)).rejects.toMatchObject({
      response: { code: 'AUTH_TOKEN_REVOKED' },
    });
  });

  it('looks a token up at most once per 5 s, unknown tokens included', async () => {
    const { tokens, service } = setup();
    const { token } = await service.create({ name: 'ci', role: 'viewer' });
    for (let i = 0; i < 10; i++) await service.authenticate(token, at(i * 100));
    expect(tokens.lookups).toBe(1);
    await service.authenticate(token, at(5_001));
    expect(tokens.lookups).toBe(2);
    for (let i = 0; i < 3; i++) await service.authenticate('us_unknown', at(0)).catch(() => undefined);
    expect(tokens.lookups).toBe(3);
  });

  it('records the last use at most once a minute', async () => {
    const { tokens, service } = setup();
    const { token, id } = await service.create({ name: 'ci', role: 'viewer' });
    for (let s = 0; s <= 130; s += 10) await service.authenticate(token, at(s * 1000));
    expect(tokens.touches).toEqual([id, id, id]); // at 0 s, 60 s and 120 s
  });

  it('404s revoking a token that does not exist', async () => {
    const { service } = setup();
    await expect(service.revoke('nope')).rejects.toMatchObject({ status: 404 });
  });
});
