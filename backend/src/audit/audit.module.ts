import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessAudit } from '#src/auth/index.js';
import { AuditLogEntity } from './audit-log.entity.js';
import { AuditController } from './audit.controller.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

// global: the auth guard (AuthModule) receives its AccessAudit port from here without importing this feature
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity])],
  controllers: [AuditController],
  providers: [
    AuditRepository,
    AuditService,
    // the auth guard's port: it records refused requests without importing this feature
    { provide: AccessAudit, useExisting: AuditService },
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AuditService, AccessAudit],
})
export class AuditModule {}
