import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthResponse, LivenessResponse } from '@userstream/contracts';
import { SkipRateLimit, Public } from '#src/auth/index.js';
import { zodSchema } from '#src/common/index.js';
import { HealthService } from './health.service.js';

@ApiTags('health')
// probes (Compose, load balancers) carry no token and poll often
@Public()
@SkipRateLimit()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Readiness under its historical name, kept for existing probes. */
  @Get()
  @ApiOperation({ summary: 'Readiness (same as /api/health/ready)' })
  @ApiOkResponse({ description: 'Every service answered', schema: zodSchema(HealthResponse) })
  @ApiServiceUnavailableResponse({
    description: 'At least one service is down',
    schema: zodSchema(HealthResponse),
  })
  check(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    return this.ready(res);
  }

  /** Liveness: answering at all proves the process and its event loop are up. Checks no dependency. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency is checked)' })
  @ApiOkResponse({ description: 'The process is up', schema: zodSchema(LivenessResponse) })
  live(): LivenessResponse {
    return this.health.liveness();
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: Kafka, Cassandra and PostgreSQL all answer' })
  @ApiOkResponse({ description: 'Every service answered', schema: zodSchema(HealthResponse) })
  @ApiServiceUnavailableResponse({
    description: 'At least one service is down',
    schema: zodSchema(HealthResponse),
  })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const report = await this.health.check();
    res.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
