import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CreateRunRequest,
  Run,
  RunCurve,
  RunEventList,
  RunEventsQuery,
  RunList,
  RunListQuery,
  type RunParams,
} from '@userstream/contracts';
import type { z } from 'zod';
import { zodSchema, ZodValidationPipe } from '#src/common/index.js';
import { RunsService } from './runs.service.js';

const uuid = new ParseUUIDPipe({ version: '4', errorHttpStatusCode: 400 });

@ApiTags('ingestion')
@Controller('ingestion/runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Post()
  @ApiOperation({ summary: 'Start an ingestion run' })
  @ApiBody({ schema: zodSchema(CreateRunRequest) })
  @ApiOkResponse({ schema: zodSchema(Run) })
  start(@Body(new ZodValidationPipe(CreateRunRequest)) body: RunParams): Promise<Run> {
    return this.runs.start(body);
  }

  @Get()
  @ApiOperation({ summary: 'Run history, newest first' })
  @ApiOkResponse({ schema: zodSchema(RunList) })
  list(@Query(new ZodValidationPipe(RunListQuery)) query: z.infer<typeof RunListQuery>): Promise<RunList> {
    return this.runs.list(query.page, query.pageSize, { state: query.state, scheduleId: query.scheduleId });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One run with its live counters per stage' })
  @ApiOkResponse({ schema: zodSchema(Run) })
  find(@Param('id', uuid) id: string): Promise<Run> {
    return this.runs.find(id);
  }

  @Post(':id/stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop a run: production stops at once, what was produced is still processed' })
  @ApiOkResponse({ schema: zodSchema(Run) })
  stop(@Param('id', uuid) id: string): Promise<Run> {
    return this.runs.stop(id);
  }

  @Post(':id/rerun')
  @ApiOperation({
    summary: "Start a new run with this run's parameters (a synthetic run's seed too, so it repeats)",
  })
  @ApiOkResponse({ schema: zodSchema(Run) })
  rerun(@Param('id', uuid) id: string): Promise<Run> {
    return this.runs.rerun(id);
  }

  @Get(':id/curve')
  @ApiOperation({
    summary:
      "A run's curve over its lifetime: counters, per-stage rates and backlog (records and seconds to drain), " +
      'sampled every second, kept for HISTORY_RETENTION_HOURS, downsampled to at most 600 buckets',
  })
  @ApiOkResponse({ schema: zodSchema(RunCurve) })
  curve(@Param('id', uuid) id: string): Promise<RunCurve> {
    return this.runs.curve(id);
  }

  @Get(':id/events')
  @ApiOperation({
    summary: "A run's event log, oldest first: started, retries, errors, source pages, its end",
  })
  @ApiOkResponse({ schema: zodSchema(RunEventList) })
  events(
    @Param('id', uuid) id: string,
    @Query(new ZodValidationPipe(RunEventsQuery)) query: z.infer<typeof RunEventsQuery>,
  ): Promise<RunEventList> {
    return this.runs.listEvents(id, query.page, query.pageSize);
  }
}
