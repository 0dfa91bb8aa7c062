import { applyDecorators, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  StoredUser,
  USER_PAGE_DEFAULT,
  USER_PAGE_MAX,
  UserId,
  UserLineage,
  UserPage,
  UserSearchQuery,
  UserStats,
} from '@userstream/contracts';
import type { z } from 'zod';
import { zodSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { UsersService } from './users.service.js';

const TEXT = 'whole value, case and accents ignored';
const SEARCH_PARAMS: [name: string, type: 'string' | 'integer', description: string][] = [
  ['country', 'string', `country name (${TEXT})`],
  ['nat', 'string', 'two-letter nationality code'],
  ['gender', 'string', TEXT],
  ['ageMin', 'integer', 'minimum age, inclusive'],
  ['ageMax', 'integer', 'maximum age, inclusive'],
  ['registeredFrom', 'string', 'registered at or after (ISO 8601 date or date-time; a date is UTC midnight)'],
  ['registeredTo', 'string', 'registered at or before (ISO 8601 date or date-time)'],
  ['email', 'string', TEXT],
  ['username', 'string', TEXT],
  ['firstName', 'string', TEXT],
  ['lastName', 'string', TEXT],
  ['runId', 'string', 'id of the run that last wrote the user'],
  ['limit', 'integer', `page size, 1..${USER_PAGE_MAX} (default ${USER_PAGE_DEFAULT})`],
  ['cursor', 'string', 'nextCursor of the previous page, with the same filters'],
];

const SearchParams = () =>
  applyDecorators(
    ...SEARCH_PARAMS.map(([name, type, description]) =>
      ApiQuery({ name, required: false, schema: { type }, description }),
    ),
  );

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({
    summary: 'Search stored users; any combination of filters, paged with an opaque cursor',
    description: 'Unknown parameters are refused (400), as is a cursor reused with other filters.',
  })
  @SearchParams()
  @ApiOkResponse({ schema: zodSchema(UserPage) })
  search(
    // typed through `z.output`, not the contract's same-named type: decorator metadata would otherwise hold the
    // zod schema object, which the OpenAPI scanner takes for a DTO class and fails on
    @Query(new ZodValidationPipe(UserSearchQuery)) query: z.output<typeof UserSearchQuery>,
  ): Promise<UserPage> {
    return this.users.search(query);
  }

  // declared before `:id`, which would otherwise take "stats" for an id
  @Get('stats')
  @ApiOperation({ summary: 'Total users and counts by country, gender and nationality' })
  @ApiOkResponse({ schema: zodSchema(UserStats) })
  stats(): Promise<UserStats> {
    return this.users.stats();
  }

  @Get(':id/lineage')
  @ApiOperation({
    summary:
      "A stored user's path: run, fetch, Kafka position, processing and storage times (404 USER_NOT_FOUND)",
  })
  @ApiOkResponse({ schema: zodSchema(UserLineage) })
  lineage(@Param('id', new ZodValidationPipe(UserId)) id: string): Promise<UserLineage> {
    return this.users.lineage(id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One stored user (404 USER_NOT_FOUND)' })
  @ApiOkResponse({ schema: zodSchema(StoredUser) })
  find(@Param('id', new ZodValidationPipe(UserId)) id: string): Promise<StoredUser> {
    return this.users.findById(id);
  }
}
