import { Module } from '@nestjs/common';
import { BrowseSlots } from './browse-slots.js';
import { ConsumerGroupsController } from './consumer-groups.controller.js';
import { ConsumerGroupsService } from './consumer-groups.service.js';
import { MessageSearchController } from './message-search.controller.js';
import { MessageSearchService } from './message-search.service.js';
import { MessagesService } from './messages.service.js';
import { TopicsController } from './topics.controller.js';
import { TopicsRepository } from './topics.repository.js';
import { TopicsService } from './topics.service.js';

/**
 * Kafka administration over REST: topics, partitions, settings, consumer groups, message browsing, search
 * and export. The repository is shared with the live tail.
 */
@Module({
  // the search controller first: the topics controller ends with a catch-all for deeper paths
  controllers: [MessageSearchController, TopicsController, ConsumerGroupsController],
  providers: [
    TopicsRepository,
    TopicsService,
    ConsumerGroupsService,
    MessagesService,
    MessageSearchService,
    BrowseSlots,
  ],
  // the live tail reads through the repository; the processors panel reads the processors' group
  exports: [TopicsRepository, ConsumerGroupsService],
})
export class TopicsModule {}
