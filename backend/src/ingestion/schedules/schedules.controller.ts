import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CreateScheduleRequest,
  Run,
  Schedule,
  ScheduleFirings,
  ScheduleFiringsQuery,
  ScheduleList,
  UpdateScheduleRequest,
} from '@userstream/contracts';
import type { z } from 'zod';
import { zodSchema, ZodValidationPipe } from '#src/common/index.js';
import { SchedulesService } from './schedules.service.js';

const uuid = new ParseUUIDPipe({ version: '4', errorHttpStatusCode: 400 });

@ApiTags('ingestion')
@Controller('ingestion/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a cron schedule of ingestion runs (5 fields, or 6 with seconds)' })
  @ApiBody({ schema: zodSchema(CreateScheduleRequest) })
  @ApiOkResponse({ schema: zodSchema(Schedule) })
  create(@Body(new ZodValidationPipe(CreateScheduleRequest)) body: CreateScheduleRequest): Promise<Schedule> {
    return this.schedules.create(body);
  }

  @Get()
  @ApiOkResponse({ schema: zodSchema(ScheduleList) })
  async list(): Promise<{ items: Schedule[] }> {
    return { items: await this.schedules.list() };
  }

  @Get(':id')
  @ApiOkResponse({ schema: zodSchema(Schedule) })
  find(@Param('id', uuid) id: string): Promise<Schedule> {
    return this.schedules.find(id);
  }

  @Get(':id/next')
  @ApiOperation({ summary: "Preview a schedule's next firings (5 unless `count` says), in its time zone" })
  @ApiOkResponse({ schema: zodSchema(ScheduleFirings) })
  next(
    @Param('id', uuid) id: string,
    @Query(new ZodValidationPipe(ScheduleFiringsQuery)) query: z.infer<typeof ScheduleFiringsQuery>,
  ): Promise<ScheduleFirings> {
    return this.schedules.previewFirings(id, query.count);
  }

  @Post(':id/run')
  @ApiOperation({ summary: "Run now: start a run with the schedule's parameters, linked to it" })
  @ApiOkResponse({ schema: zodSchema(Run) })
  runNow(@Param('id', uuid) id: string): Promise<Run> {
    return this.schedules.runNow(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a schedule; `enabled` turns it on or off' })
  @ApiBody({ schema: zodSchema(UpdateScheduleRequest) })
  @ApiOkResponse({ schema: zodSchema(Schedule) })
  update(
    @Param('id', uuid) id: string,
    @Body(new ZodValidationPipe(UpdateScheduleRequest)) body: UpdateScheduleRequest,
  ): Promise<Schedule> {
    return this.schedules.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', uuid) id: string): Promise<void> {
    await this.schedules.remove(id);
  }
}
