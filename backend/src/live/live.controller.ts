import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { HISTORY_RANGES, LiveHistory, LiveHistoryQuery } from '@userstream/contracts';
import { zodSchema, ZodValidationPipe } from '#src/common/index.js';
import type { z } from 'zod';
import { LiveStatsService } from './live-stats.service.js';

@ApiTags('live')
@Controller('live')
export class LiveController {
  constructor(private readonly stats: LiveStatsService) {}

  @Get('history')
  @ApiOperation({
    summary:
      'Throughput, lag (records and seconds to drain) and ingest-to-stored latency history, kept in PostgreSQL ' +
      'across restarts: 1 s points (10m), 10 s (2h) or 1 min (24h) buckets',
  })
  @ApiQuery({ name: 'range', required: false, enum: HISTORY_RANGES })
  @ApiOkResponse({ schema: zodSchema(LiveHistory) })
  history(
    @Query(new ZodValidationPipe(LiveHistoryQuery)) query: z.infer<typeof LiveHistoryQuery>,
  ): LiveHistory {
    return this.stats.getHistory(query.range);
  }
}
