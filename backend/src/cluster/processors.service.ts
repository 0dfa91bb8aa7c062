import { Injectable } from '@nestjs/common';
import type { ProcessorsStatus } from '@userstream/contracts';
import { AppConfig } from '#src/config/index.js';
import { ConsumerGroupsService } from '#src/topics/index.js';
import { TopicException, TopicExceptionCode } from '#src/kafka/index.js';
import { processorsStatus } from './processors-view.js';

/** The processor processes, read from their consumer group (PROCESSOR_GROUP_ID). */
@Injectable()
export class ProcessorsService {
  constructor(
    private readonly groups: ConsumerGroupsService,
    private readonly config: AppConfig,
  ) {}

  async status(): Promise<ProcessorsStatus> {
    const groupId = this.config.kafka.processorGroupId;
    try {
      return processorsStatus(await this.groups.describe(groupId));
    } catch (error) {
      // before any processor ever joined or committed, the group does not exist yet: no processors
      if (error instanceof TopicException && error.code === TopicExceptionCode.GROUP_NOT_FOUND) {
        return { groupId, state: 'Empty', members: [], unassigned: [], totalLag: 0 };
      }
      throw error;
    }
  }
}
