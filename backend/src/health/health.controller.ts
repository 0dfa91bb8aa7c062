import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthResponse } from '@userstream/contracts';
import { SkipRateLimit } from '../auth/rate-limit.guard.js';
import { Public } from '../auth/roles.decorator.js';
import { zodSchema } from '../common/openapi.js';
import { HealthService } from './health.service.js';

@ApiTags('health')
// probes (Compose, load balancers) carry no token and poll often
@Public()
@SkipRateLimit()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOkResponse({ description: 'Every service answered', schema: zodSchema(HealthResponse) })
  @ApiServiceUnavailableResponse({
    description: 'At least one service is down',
    schema: zodSchema(HealthResponse),
  })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const report = await this.health.check();
    res.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
