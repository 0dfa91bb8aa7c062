import { Module } from '@nestjs/common';
import { CreatedUsersRepository } from './created-users.repository.js';
import { SeedUsersStream } from './seed-users.stream.js';

/** Seed compatibility: the Airflow + Spark tutorial's topic and table, served by the processor. */
@Module({
  providers: [CreatedUsersRepository, SeedUsersStream],
  exports: [SeedUsersStream, CreatedUsersRepository],
})
export class SeedModule {}
