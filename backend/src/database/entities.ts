import { ApiTokenEntity } from '#src/auth/index.js';
import { AuditLogEntity } from '#src/audit/index.js';
import { RunCurvePointEntity } from '#src/history/index.js';
import { ThroughputSampleEntity } from '#src/history/index.js';
import { DeadLetterEntity, DeadLetterRedriveEntity } from '#src/dead-letters/index.js';
import { IngestionRunEventEntity } from '#src/ingestion/index.js';
import { IngestionScheduleEntity } from '#src/ingestion/index.js';
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
