import { Module } from '@nestjs/common';
import { UsersSearchIndexer } from './users-search.indexer.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/** The Cassandra users table, for ingestion and processing (no HTTP). */
@Module({
  providers: [UsersRepository],
  exports: [UsersRepository],
})
export class UsersModule {}

/** The users query API (`/api/users`) and the indexer behind its search and stats: the API role only. */
@Module({
  imports: [UsersModule],
  controllers: [UsersController],
  providers: [UsersService, UsersSearchIndexer],
})
export class UsersApiModule {}
