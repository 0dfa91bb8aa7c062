import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { KafkaTopics } from '@userstream/contracts';
import type { KafkaBatch } from './kafka-batch.server.js';
import { ProcessingService } from './processing.service.js';

/** The stream processor's transport edge: one call per fetched batch of raw users. */
@Controller()
export class ProcessingController {
  constructor(private readonly processing: ProcessingService) {}

  @EventPattern(KafkaTopics.rawUsers)
  handleRawUsers(@Payload() batch: KafkaBatch): Promise<void> {
    return this.processing.processBatch(batch);
  }
}
