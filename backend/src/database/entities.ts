import { ApiTokenEntity } from '../auth/api-token.entity.js';
import { AuditLogEntity } from '../audit/audit-log.entity.js';
import { IngestionRunEntity } from '../ingestion/runs/ingestion-run.entity.js';
import { IngestionScheduleEntity } from '../ingestion/schedules/ingestion-schedule.entity.js';

export const entities = [IngestionRunEntity, IngestionScheduleEntity, ApiTokenEntity, AuditLogEntity];
