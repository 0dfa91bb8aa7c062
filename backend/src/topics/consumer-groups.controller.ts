import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ConsumerGroupDetail,
  ConsumerGroupList,
  ConsumerGroupListQuery,
  OffsetResetRequest,
  OffsetResetResult,
} from '@userstream/contracts';
import type { z } from 'zod';
import { RequiresRole } from '#src/auth/index.js';
import { zodSchema, ZodValidationPipe } from '#src/common/index.js';
import { ConsumerGroupsService } from './consumer-groups.service.js';
import { GroupIdPipe } from './topic-params.pipe.js';

/** Consumer groups over REST: reads need a viewer; resetting offsets (dry runs too) an admin. */
@ApiTags('topics')
@Controller('consumer-groups')
export class ConsumerGroupsController {
  constructor(private readonly groups: ConsumerGroupsService) {}

  @Get()
  @ApiOperation({ summary: 'Consumer groups with state, protocol and member count; search and paging' })
  @ApiOkResponse({ schema: zodSchema(ConsumerGroupList) })
  list(
    @Query(new ZodValidationPipe(ConsumerGroupListQuery)) query: z.infer<typeof ConsumerGroupListQuery>,
  ): Promise<ConsumerGroupList> {
    return this.groups.list(query);
  }

  @Get(':groupId')
  @ApiOperation({
    summary: 'Members and their partitions; committed offset, high watermark and lag per partition',
  })
  @ApiOkResponse({ schema: zodSchema(ConsumerGroupDetail) })
  describe(@Param('groupId', new GroupIdPipe()) groupId: string): Promise<ConsumerGroupDetail> {
    return this.groups.describe(groupId);
  }

  @Post(':groupId/offsets/reset')
  @HttpCode(200)
  @RequiresRole('admin')
  @ApiOperation({
    summary:
      "Reset a group's offsets on a topic to the earliest, the latest, a time or an exact offset; dryRun only shows the resulting lag. Refused (409 GROUP_NOT_EMPTY) while the group has members",
  })
  @ApiBody({ schema: zodSchema(OffsetResetRequest) })
  @ApiOkResponse({ schema: zodSchema(OffsetResetResult) })
  resetOffsets(
    @Param('groupId', new GroupIdPipe()) groupId: string,
    @Body(new ZodValidationPipe(OffsetResetRequest)) body: z.infer<typeof OffsetResetRequest>,
  ): Promise<OffsetResetResult> {
    return this.groups.resetOffsets(groupId, body);
  }
}
