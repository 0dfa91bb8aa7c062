import { Module } from '@nestjs/common';
import { BrowseSlots } from './browse-slots.js';
import { ConsumerGroupsController } from './consumer-groups.controller.js';
import { ConsumerGroupsService } from './consumer-groups.service.js';
import { MessageSearchController } from './message-search.controller.js';
import { MessageSearchService } from './message-search.service.js';
import { MessagesService } from './messages.service.js';
import { TopicsController } from './topics.controller.js';
import { TopicsService } from './topics.service.js';

/**
 * Kafka administration over REST: topics, partitions, settings, consumer groups, message browsing, search
 * and export.
 */
@Module({
  // the search controller first: the topics controller ends with a catch-all for deeper paths
  controllers: [MessageSearchController, TopicsController, ConsumerGroupsController],
  providers: [TopicsService, ConsumerGroupsService, MessagesService, MessageSearchService, BrowseSlots],
  // the processors panel reads the processors' group
  exports: [ConsumerGroupsService],
})
export class TopicsModule {}
