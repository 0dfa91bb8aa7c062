import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeadLetterEntity, DeadLetterRedriveEntity } from './dead-letter.entity.js';
import { DeadLettersController } from './dead-letters.controller.js';
import { DeadLettersIndexer } from './dead-letters.indexer.js';
import { DeadLettersRepository } from './dead-letters.repository.js';
import { DeadLettersService } from './dead-letters.service.js';

/** The dead-letter workflow (`/api/dead-letters`) and the indexer behind it: the API role only. */
@Module({
  imports: [TypeOrmModule.forFeature([DeadLetterEntity, DeadLetterRedriveEntity])],
  controllers: [DeadLettersController],
  providers: [DeadLettersRepository, DeadLettersService, DeadLettersIndexer],
})
export class DeadLettersModule {}
