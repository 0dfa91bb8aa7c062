import { All, Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExcludeEndpoint,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  AddPartitionsRequest,
  AlterTopicConfigsRequest,
  BrowseMessagesQuery,
  CreateTopicRequest,
  DeleteTopicQuery,
  MessagePage,
  ProducedMessage,
  ProduceMessageQuery,
  ProduceMessageRequest,
  TopicConfigList,
  TopicDetail,
  TopicList,
  TopicListQuery,
} from '@userstream/contracts';
import type { z } from 'zod';
import { ExtraRateLimit, RequiresRole, RequiresRoleForQuery } from '#src/auth/index.js';
import { zodSchema, ZodValidationPipe } from '#src/common/index.js';
import { MessagesService } from './messages.service.js';
import { TopicNamePipe } from './topic-params.pipe.js';
import { TopicException, TopicExceptionCode } from '#src/kafka/index.js';
import { TopicsService } from './topics.service.js';

const topicName = new TopicNamePipe();

/**
 * Kafka topics over REST. Roles (enforced by the auth guard): reads need a viewer, producing a test
 * message an operator; creating, deleting, repartitioning and reconfiguring topics, and `unmasked=true` on
 * browsing, an admin.
 */
@ApiTags('topics')
@Controller('topics')
export class TopicsController {
  constructor(
    private readonly topics: TopicsService,
    private readonly messages: MessagesService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Topics with partitions, replication, approximate message count and size; search and paging',
  })
  @ApiOkResponse({ schema: zodSchema(TopicList) })
  list(
    @Query(new ZodValidationPipe(TopicListQuery)) query: z.infer<typeof TopicListQuery>,
  ): Promise<TopicList> {
    return this.topics.list(query);
  }

  @Post()
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Create a topic (allow-listed settings only)' })
  @ApiBody({ schema: zodSchema(CreateTopicRequest) })
  @ApiCreatedResponse({ schema: zodSchema(TopicDetail) })
  create(
    @Body(new ZodValidationPipe(CreateTopicRequest)) body: z.infer<typeof CreateTopicRequest>,
  ): Promise<TopicDetail> {
    return this.topics.create(body);
  }

  @Get(':name')
  @ApiOperation({
    summary: 'Partitions with watermarks, settings with their source, consumer groups with lag',
  })
  @ApiOkResponse({ schema: zodSchema(TopicDetail) })
  describe(@Param('name', topicName) name: string): Promise<TopicDetail> {
    return this.topics.describe(name);
  }

  @Delete(':name')
  @HttpCode(204)
  @RequiresRole('admin')
  @RequiresRoleForQuery('force', 'admin')
  @ApiOperation({
    summary:
      "Delete a topic. Kafka's internal topics: never (403 TOPIC_PROTECTED); pipeline topics: only with force=true (admins)",
  })
  @ApiNoContentResponse()
  async delete(
    @Param('name', topicName) name: string,
    @Query(new ZodValidationPipe(DeleteTopicQuery)) query: z.infer<typeof DeleteTopicQuery>,
  ): Promise<void> {
    await this.topics.delete(name, query.force);
  }

  @Post(':name/partitions')
  @HttpCode(200)
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Raise the partition count (it can only grow)' })
  @ApiBody({ schema: zodSchema(AddPartitionsRequest) })
  @ApiOkResponse({ schema: zodSchema(TopicDetail) })
  addPartitions(
    @Param('name', topicName) name: string,
    @Body(new ZodValidationPipe(AddPartitionsRequest)) body: z.infer<typeof AddPartitionsRequest>,
  ): Promise<TopicDetail> {
    return this.topics.addPartitions(name, body.count);
  }

  @Patch(':name/configs')
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Change allow-listed settings; null puts one back to its default' })
  @ApiBody({ schema: zodSchema(AlterTopicConfigsRequest) })
  @ApiOkResponse({ schema: zodSchema(TopicConfigList) })
  alterConfigs(
    @Param('name', topicName) name: string,
    @Body(new ZodValidationPipe(AlterTopicConfigsRequest)) body: z.infer<typeof AlterTopicConfigsRequest>,
  ): Promise<TopicConfigList> {
    return this.topics.alterConfigs(name, body.configs);
  }

  @Get(':name/messages')
  @RequiresRoleForQuery('unmasked', 'admin')
  @ExtraRateLimit('browse')
  @ApiOperation({
    summary:
      'Read messages by partition and offset or from a timestamp, newest first by default; personal fields masked',
  })
  @ApiOkResponse({ schema: zodSchema(MessagePage) })
  browse(
    @Param('name', topicName) name: string,
    @Query(new ZodValidationPipe(BrowseMessagesQuery)) query: z.infer<typeof BrowseMessagesQuery>,
  ): Promise<MessagePage> {
    return this.messages.browse(name, query);
  }

  @Post(':name/messages')
  @RequiresRoleForQuery('force', 'admin')
  @ApiOperation({
    summary:
      "Produce a test message (string or JSON value, bounded size). The pipeline's topics: only with force=true (admins); the pipeline's headers (x-run-id, x-source, x-fetched-at, x-ingested-at) are set by the server, a caller's are dropped",
  })
  @ApiBody({ schema: zodSchema(ProduceMessageRequest) })
  @ApiCreatedResponse({ schema: zodSchema(ProducedMessage) })
  produce(
    @Param('name', topicName) name: string,
    @Query(new ZodValidationPipe(ProduceMessageQuery)) query: z.infer<typeof ProduceMessageQuery>,
    @Body(new ZodValidationPipe(ProduceMessageRequest)) body: z.infer<typeof ProduceMessageRequest>,
  ): Promise<ProducedMessage> {
    return this.messages.produce(name, body, query.force);
  }

  /** Declared last: any deeper path is a topic name with a `/` in it, which Kafka never allows. */
  @All(':name/*rest')
  @ApiExcludeEndpoint()
  slashInName(): never {
    throw new TopicException(TopicExceptionCode.INVALID_TOPIC_NAME, 'invalid topic name', [
      { field: 'topic name', message: 'only letters, digits, ".", "_" and "-"' },
    ]);
  }
}
