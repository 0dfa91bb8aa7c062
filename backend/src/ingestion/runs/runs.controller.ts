import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateRunRequest, Run, RunList, RunListQuery, type RunParams } from '@userstream/contracts';
import type { z } from 'zod';
import { zodSchema } from '../../common/openapi.js';
import { ZodValidationPipe } from '../../common/zod-validation.pipe.js';
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
}
