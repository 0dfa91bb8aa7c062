import { applyDecorators, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  PERSONAL_USER_FILTERS,
  USER_PAGE_DEFAULT,
  USER_PAGE_MAX,
  UserDetail,
  UserId,
  UserLineage,
  UserPage,
  UserReadQuery,
  UserSearchQuery,
  UserStats,
} from '@userstream/contracts';
import type { z } from 'zod';
import { zodSchema, ZodValidationPipe } from '#src/common/index.js';
import { RequiresRoleForQuery } from '#src/auth/index.js';
import { UsersService } from './users.service.js';

const TEXT = 'whole value, case and accents ignored';
const ADMIN_FILTER = `${TEXT}; admins only: the field is masked for others (403 AUTH_FORBIDDEN)`;
const UNMASKED = 'true: personal fields as stored (admins only, audited); otherwise masked for everyone';
const SEARCH_PARAMS: [name: string, type: 'string' | 'integer', description: string][] = [
  ['country', 'string', `country name (${TEXT})`],
  ['nat', 'string', 'two-letter nationality code'],
  ['gender', 'string', TEXT],
  ['ageMin', 'integer', 'minimum age, inclusive'],
  ['ageMax', 'integer', 'maximum age, inclusive'],
  ['registeredFrom', 'string', 'registered at or after (ISO 8601 date or date-time; a date is UTC midnight)'],
  ['registeredTo', 'string', 'registered at or before (ISO 8601 date or date-time)'],
  ['email', 'string', ADMIN_FILTER],
  ['username', 'string', ADMIN_FILTER],
  ['firstName', 'string', TEXT],
  ['lastName', 'string', TEXT],
  ['runId', 'string', 'id of the run that last wrote the user'],
  ['limit', 'integer', `page size, 1..${USER_PAGE_MAX} (default ${USER_PAGE_DEFAULT})`],
  ['cursor', 'string', 'nextCursor of the previous page, with the same filters'],
  ['unmasked', 'string', UNMASKED],
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
  @RequiresRoleForQuery(['unmasked', ...PERSONAL_USER_FILTERS], 'admin')
  @ApiOperation({
    summary:
      'Search stored users; any combination of filters, paged with an opaque cursor; personal fields masked',
    description:
      'Unknown parameters are refused (400), as is a cursor reused with other filters. Email, phone, street, ' +
      'coordinates, date of birth, username and pictures are masked unless an admin asks with unmasked=true ' +
      '(audited); filtering by email or username is for admins only.',
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
      "A stored user's path: run, fetch, Kafka position, processing and storage times (404 USER_NOT_FOUND); no personal data",
  })
  @ApiOkResponse({ schema: zodSchema(UserLineage) })
  lineage(@Param('id', new ZodValidationPipe(UserId)) id: string): Promise<UserLineage> {
    return this.users.lineage(id);
  }

  @Get(':id')
  @RequiresRoleForQuery('unmasked', 'admin')
  @ApiOperation({
    summary: 'One stored user (404 USER_NOT_FOUND); personal fields masked unless unmasked=true',
  })
  @ApiQuery({ name: 'unmasked', required: false, schema: { type: 'string' }, description: UNMASKED })
  @ApiOkResponse({ schema: zodSchema(UserDetail) })
  find(
    @Param('id', new ZodValidationPipe(UserId)) id: string,
    @Query(new ZodValidationPipe(UserReadQuery)) query: z.output<typeof UserReadQuery>,
  ): Promise<UserDetail> {
    return this.users.findById(id, query);
  }
}
