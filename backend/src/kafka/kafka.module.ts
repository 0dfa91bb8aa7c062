import { Global, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '#src/config/index.js';
import { ConsumerGroupsRepository } from './consumer-groups.repository.js';
import { KafkaAdminRepository } from './kafka-admin.repository.js';
import { createKafka, KAFKA } from './kafka.client.js';
import { KafkaProducerService } from './kafka-producer.service.js';
import { TopicMessagesRepository } from './topic-messages.repository.js';

/** The Kafka client and everything that talks to Kafka through it: producer, admin, groups, messages. */
@Global()
@Module({
  providers: [
    { provide: KAFKA, inject: [AppConfig], useFactory: createKafka },
    KafkaProducerService,
    KafkaAdminRepository,
    ConsumerGroupsRepository,
    TopicMessagesRepository,
  ],
  exports: [
    KAFKA,
    KafkaProducerService,
    KafkaAdminRepository,
    ConsumerGroupsRepository,
    TopicMessagesRepository,
  ],
})
export class KafkaModule implements OnModuleInit {
  private readonly logger = new Logger(KafkaModule.name);

  constructor(private readonly admin: KafkaAdminRepository) {}

  async onModuleInit(): Promise<void> {
    const created = await this.admin.ensurePipelineTopics();
    if (created.length > 0) {
      this.logger.log(`created topics ${created.join(', ')}`);
    }
  }
}
