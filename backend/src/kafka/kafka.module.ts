import { Global, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { createKafka, KAFKA } from './kafka.client.js';
import { KafkaProducerService } from './kafka-producer.service.js';
import { PipelineTopicsRepository } from './pipeline-topics.repository.js';

@Global()
@Module({
  providers: [
    { provide: KAFKA, inject: [AppConfig], useFactory: createKafka },
    KafkaProducerService,
    PipelineTopicsRepository,
  ],
  exports: [KAFKA, KafkaProducerService, PipelineTopicsRepository],
})
export class KafkaModule implements OnModuleInit {
  private readonly logger = new Logger(KafkaModule.name);

  constructor(private readonly topics: PipelineTopicsRepository) {}

  async onModuleInit(): Promise<void> {
    const created = await this.topics.ensurePipelineTopics();
    if (created.length > 0) this.logger.log(`created topics ${created.join(', ')}`);
  }
}
