import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditList, AuditListQuery } from '@userstream/contracts';
import type { z } from 'zod';
import { zodSchema, ZodValidationPipe } from '#src/common/index.js';
import { RequiresRole } from '#src/auth/index.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@RequiresRole('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit log of every mutation, newest first (admin)' })
  @ApiOkResponse({ schema: zodSchema(AuditList) })
  list(
    @Query(new ZodValidationPipe(AuditListQuery)) query: z.infer<typeof AuditListQuery>,
  ): Promise<AuditList> {
    return this.audit.list(query);
  }
}
