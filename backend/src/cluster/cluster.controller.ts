import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClusterStatus, ProcessorsStatus } from '@userstream/contracts';
import { zodSchema } from '#src/common/index.js';
import { ClusterService } from './cluster.service.js';
import { ProcessorsService } from './processors.service.js';

/** The cluster view and the processors panel: reads, for any viewer. */
@ApiTags('cluster')
@Controller()
export class ClusterController {
  constructor(
    private readonly cluster: ClusterService,
    private readonly processors: ProcessorsService,
  ) {}

  @Get('cluster')
  @ApiOperation({
    summary:
      'Kafka brokers (lost ones included) with the partitions they lead and hold, under-replicated and offline partitions; Cassandra nodes with state, load, schema and release versions; the problems found, in words',
  })
  @ApiOkResponse({ schema: zodSchema(ClusterStatus) })
  status(): Promise<ClusterStatus> {
    return this.cluster.status();
  }

  @Get('processors')
  @ApiOperation({
    summary:
      "The members of the processors' consumer group, the partitions each owns and the group's lag on each",
  })
  @ApiOkResponse({ schema: zodSchema(ProcessorsStatus) })
  processorsStatus(): Promise<ProcessorsStatus> {
    return this.processors.status();
  }
}
