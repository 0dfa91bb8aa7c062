import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiTokenEntity } from './api-token.entity.js';
import { ApiTokensRepository } from './api-tokens.repository.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { RateLimitGuard } from './rate-limit.guard.js';

@Module({
  // the guard's AccessAudit comes from AuditModule, global, which depends on this feature and not the reverse
  imports: [TypeOrmModule.forFeature([ApiTokenEntity])],
  controllers: [AuthController],
  providers: [
    ApiTokensRepository,
    AuthService,
    // global guards run in the order registered: the rate limit first, so it also bounds bad-token floods
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
