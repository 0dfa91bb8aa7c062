import { ApiTokenEntity } from '#src/auth/index.js';
import { AuditLogEntity } from '#src/audit/index.js';
import { RunCurvePointEntity, ThroughputSampleEntity } from '#src/history/index.js';
import { DeadLetterEntity, DeadLetterRedriveEntity } from '#src/dead-letters/index.js';
import { IngestionRunEventEntity, IngestionScheduleEntity } from '#src/ingestion/index.js';
import { IngestionRunEntity } from '#src/run-store/index.js';

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
