import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditLogEntity } from './audit-log.entity.js';

export type NewAuditEntry = Omit<AuditLogEntity, 'id'>;

@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditLogEntity) private readonly entries: Repository<AuditLogEntity>) {}

  async insertMany(entries: NewAuditEntry[]): Promise<void> {
    await this.entries.insert(entries);
  }

  findPage(
    page: number,
    pageSize: number,
    filter: { actor?: string; method?: string },
  ): Promise<[AuditLogEntity[], number]> {
    return this.entries.findAndCount({
      where: {
        ...(filter.actor ? { actor: filter.actor } : {}),
        ...(filter.method ? { method: filter.method } : {}),
      },
      order: { at: 'DESC', id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
  }
}
