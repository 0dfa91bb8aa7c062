import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { SkipRateLimit } from '#src/auth/index.js';
import { MetricsService } from './metrics.service.js';

/**
 * Prometheus' scrape target, at /metrics (outside the /api prefix, where scrapers look by default). A viewer
 * token is needed like any read (AUTH_MODE=token): Prometheus sends one with `authorization` / `bearer_token_file`
 * in its scrape config. Not rate limited: a scraper polls on its own schedule.
 */
@ApiTags('metrics')
@SkipRateLimit()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics of this process (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Counters, histograms and gauges in the Prometheus text format',
    type: String,
  })
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    const { contentType, body } = await this.metrics.scrape();
    res.type(contentType);
    return body;
  }
}
