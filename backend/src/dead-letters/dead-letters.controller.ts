import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DeadLetterRecordPage,
  DeadLetterRecordsQuery,
  DeadLetterSummary,
  RedriveList,
  RedriveRequest,
  RedriveResult,
} from '@userstream/contracts';
import type { z } from 'zod';
import { CurrentPrincipal, type Principal, RequiresRole, RequiresRoleForQuery } from '#src/auth/index.js';
import { zodSchema, ZodValidationPipe } from '#src/common/index.js';
import { DeadLettersService } from './dead-letters.service.js';

/** Dead letters over REST: reading needs a viewer (original values masked); redriving, dry runs too, an admin. */
@ApiTags('dead letters')
@Controller('dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOperation({
    summary: 'Dead letters grouped by reason kind and run, with counts, first/last seen and an example',
  })
  @ApiOkResponse({ schema: zodSchema(DeadLetterSummary) })
  summary(): Promise<DeadLetterSummary> {
    return this.deadLetters.summary();
  }

  @Get('records')
  @RequiresRoleForQuery('unmasked', 'admin')
  @ApiOperation({
    summary:
      'Dead letters of a reason and/or run, newest first, with the original value (JSON masked; other values hidden unless an admin asks unmasked=true)',
  })
  @ApiOkResponse({ schema: zodSchema(DeadLetterRecordPage) })
  records(
    @Query(new ZodValidationPipe(DeadLetterRecordsQuery)) query: z.output<typeof DeadLetterRecordsQuery>,
  ): Promise<DeadLetterRecordPage> {
    return this.deadLetters.records(query);
  }

  @Get('redrives')
  @ApiOperation({ summary: 'The latest redrives: who, when, how many records, how many confirmed produced' })
  @ApiOkResponse({ schema: zodSchema(RedriveList) })
  redrives(): Promise<RedriveList> {
    return this.deadLetters.recentRedrives();
  }

  @Post('redrive')
  @HttpCode(200)
  @RequiresRole('admin')
  @ApiOperation({
    summary:
      'Produce the original records of selected letters (ids) or of every letter of a reason (and run) again to the topic they came from; each letter at most once; dryRun only counts',
  })
  @ApiBody({ schema: zodSchema(RedriveRequest) })
  @ApiOkResponse({ schema: zodSchema(RedriveResult) })
  redrive(
    @Body(new ZodValidationPipe(RedriveRequest)) body: z.output<typeof RedriveRequest>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RedriveResult> {
    return this.deadLetters.redrive(body, principal.name);
  }
}
