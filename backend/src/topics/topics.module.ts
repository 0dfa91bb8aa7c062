import { Module } from '@nestjs/common';
import { ConsumerGroupsController } from './consumer-groups.controller.js';
import { ConsumerGroupsService } from './consumer-groups.service.js';
import { MessagesService } from './messages.service.js';
import { TopicsController } from './topics.controller.js';
import { TopicsRepository } from './topics.repository.js';
import { TopicsService } from './topics.service.js';

/** Kafka administration over REST: topics, partitions, settings, consumer groups, message browsing. */
@Module({
  controllers: [TopicsController, ConsumerGroupsController],
  providers: [TopicsRepository, TopicsService, ConsumerGroupsService, MessagesService],
})
export class TopicsModule {}
