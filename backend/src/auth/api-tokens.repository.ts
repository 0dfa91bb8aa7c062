import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import type { Role } from '@userstream/contracts';
import { ApiTokenEntity } from './api-token.entity.js';

@Injectable()
export class ApiTokensRepository {
  constructor(@InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>) {}

  create(fields: {
    name: string;
    role: Role;
    tokenHash: string;
    expiresAt: Date | null;
  }): Promise<ApiTokenEntity> {
    return this.tokens.save(this.tokens.create(fields));
  }

  findByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.tokens.findOneBy({ id });
  }

  findAll(): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ order: { createdAt: 'DESC' } });
  }

  /** Revokes once: a second revocation keeps the first time. Returns the row, or null if there is none. */
  async revoke(id: string, at: Date): Promise<ApiTokenEntity | null> {
    await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return this.findById(id);
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.tokens.update({ id }, { lastUsedAt: at });
  }

  /**
   * The configured admin token, by hash: created if new, else made admin again with no expiry. A revocation
   * stands (rotate the token in the configuration instead). Safe when several processes boot at once.
   */
  async upsertAdmin(name: string, tokenHash: string): Promise<ApiTokenEntity> {
    await this.tokens
      .createQueryBuilder()
      .insert()
      .values({ name, role: 'admin', tokenHash, expiresAt: null })
      .orUpdate(['name', 'role', 'expires_at'], ['token_hash'])
      .execute();
    return this.tokens.findOneByOrFail({ tokenHash });
  }

  countActiveAdmins(now: Date): Promise<number> {
    return this.tokens
      .createQueryBuilder('token')
      .where('token.role = :role', { role: 'admin' })
      .andWhere('token.revoked_at IS NULL')
      .andWhere('(token.expires_at IS NULL OR token.expires_at > :now)', { now })
      .getCount();
  }
}
