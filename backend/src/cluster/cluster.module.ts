import { Module } from '@nestjs/common';
import { TopicsModule } from '#src/topics/index.js';
import { ClusterController } from './cluster.controller.js';
import { ClusterRepository } from './cluster.repository.js';
import { ClusterService } from './cluster.service.js';
import { ProcessorsService } from './processors.service.js';

/** What runs where: Kafka brokers, Cassandra nodes, and which processor handles which partitions. */
@Module({
  imports: [TopicsModule],
  controllers: [ClusterController],
  providers: [ClusterRepository, ClusterService, ProcessorsService],
})
export class ClusterModule {}
