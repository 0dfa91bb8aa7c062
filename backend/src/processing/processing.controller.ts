import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { KafkaTopics } from '@userstream/contracts';
import type { BatchReceipt, KafkaBatch } from './kafka-batch.server.js';
import { SeedUsersStream } from '#src/seed/index.js';
import { ProcessingService } from './processing.service.js';
import { UsersStream } from './users.stream.js';

/** The stream processor's transport edge: one call per fetched batch, answered before the writes finish. */
@Controller()
export class ProcessingController {
  constructor(
    private readonly processing: ProcessingService,
    private readonly users: UsersStream,
    private readonly seedUsers: SeedUsersStream,
  ) {}

  @EventPattern(KafkaTopics.rawUsers)
  handleRawUsers(@Payload() batch: KafkaBatch): BatchReceipt {
    return this.processing.accept(batch, this.users);
  }

  /** The Airflow + Spark tutorial's records (seed compatibility), into its own table. */
  @EventPattern(KafkaTopics.seedUsers)
  handleSeedUsers(@Payload() batch: KafkaBatch): BatchReceipt {
    return this.processing.accept(batch, this.seedUsers);
  }
}
