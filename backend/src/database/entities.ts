import { ApiTokenEntity } from '../auth/api-token.entity.js';
import { AuditLogEntity } from '../audit/audit-log.entity.js';
import { RunCurvePointEntity } from '../history/run-curve-point.entity.js';
import { ThroughputSampleEntity } from '../history/throughput-sample.entity.js';
import { DeadLetterEntity, DeadLetterRedriveEntity } from '../dead-letters/dead-letter.entity.js';
import { IngestionRunEventEntity } from '../ingestion/runs/ingestion-run-event.entity.js';
import { IngestionScheduleEntity } from '../ingestion/schedules/ingestion-schedule.entity.js';
import { IngestionRunEntity } from '../run-store/ingestion-run.entity.js';

export const entities = [
  IngestionRunEntity,
  IngestionRunEventEntity,
  IngestionScheduleEntity,
  ApiTokenEntity,
  AuditLogEntity,
  ThroughputSampleEntity,
  RunCurvePointEntity,
  DeadLetterEntity,
  DeadLetterRedriveEntity,
];
