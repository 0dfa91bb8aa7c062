import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { MessageExportQuery, MessageSearchPage, MessageSearchQuery } from '@userstream/contracts';
import type { z } from 'zod';
import {
  CurrentPrincipal,
  type Principal,
  ExtraRateLimit,
  roleIncludes,
  RequiresRoleForQuery,
} from '#src/auth/index.js';
import { ApiQueryFromSchema, zodSchema, ZodValidationPipe } from '#src/common/index.js';
import { MessageSearchService, type Searcher } from './message-search.service.js';
import { TopicNamePipe } from './topic-params.pipe.js';

const topicName = new TopicNamePipe();
const searcher = (principal: Principal): Searcher => ({ admin: roleIncludes(principal.role, 'admin') });

const FILTERS =
  'Filters (all given must match): key (contains, case ignored, or keyMatch=equals), header name (and exact ' +
  'headerValue), text contained in the value (case ignored), a JSON field path equal to fieldValue. An ' +
  "admin's filters match the data as stored; anyone else's match what they are shown (masked), and a field " +
  'path through a personal field (email, login.username...) is refused for them (403 AUTH_FORBIDDEN).';

/** Search and export of a topic's messages; reads need a viewer, `unmasked=true` an admin (audited). */
@ApiTags('topics')
@Controller('topics')
export class MessageSearchController {
  constructor(private readonly search: MessageSearchService) {}

  @Get(':name/messages/search')
  @RequiresRoleForQuery('unmasked', 'admin')
  @ExtraRateLimit('browse')
  @ApiOperation({
    summary: 'Search messages server-side with a scan budget; continue with nextCursor',
    description:
      `${FILTERS} Each call reads at most \`budget\` messages and returns at most \`maxMatches\`, with the ` +
      'progress per partition and a signed cursor that continues exactly where it stopped (400 INVALID_CURSOR ' +
      'if altered or used with other filters). Personal fields are masked unless an admin asks unmasked=true.',
  })
  @ApiQueryFromSchema(MessageSearchQuery)
  @ApiOkResponse({ schema: zodSchema(MessageSearchPage) })
  find(
    @Param('name', topicName) name: string,
    @Query(new ZodValidationPipe(MessageSearchQuery)) query: z.output<typeof MessageSearchQuery>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MessageSearchPage> {
    return this.search.search(name, query, searcher(principal));
  }

  @Get(':name/messages/export')
  @RequiresRoleForQuery('unmasked', 'admin')
  @ExtraRateLimit('browse')
  @ApiOperation({
    summary: 'Download what a search finds, as JSON lines or CSV (streamed)',
    description:
      `${FILTERS} Same filters and start as the search (a search's cursor starts it where that search ` +
      'stood); scans up to `budget` messages and writes up to `maxMatches` rows. JSON lines hold each message ' +
      'as the search returns it; CSV has the columns partition, offset, timestamp, key, headers (a JSON ' +
      'object), value. Personal fields masked unless an admin asks unmasked=true.',
  })
  @ApiQueryFromSchema(MessageExportQuery)
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOkResponse({ description: 'The rows, streamed as they are found' })
  async export(
    @Param('name', topicName) name: string,
    @Query(new ZodValidationPipe(MessageExportQuery)) query: z.output<typeof MessageExportQuery>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    const file = await this.search.export(name, query, searcher(principal));
    return new StreamableFile(file.stream, {
      type: file.contentType,
      disposition: `attachment; filename="${file.filename}"`,
    });
  }
}
