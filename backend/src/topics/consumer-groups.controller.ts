import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConsumerGroupDetail, ConsumerGroupList, ConsumerGroupListQuery } from '@userstream/contracts';
import type { z } from 'zod';
import { zodSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { ConsumerGroupsService } from './consumer-groups.service.js';
import { GroupIdPipe } from './topic-params.pipe.js';

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
}
