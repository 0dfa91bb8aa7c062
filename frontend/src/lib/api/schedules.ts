import {
  type CreateScheduleRequest,
  Schedule,
  ScheduleList,
  type UpdateScheduleRequest,
} from '@userstream/contracts';
import { z } from 'zod';
import { apiGet, apiSend } from './client';

export const listSchedules = () => apiGet('/api/ingestion/schedules', ScheduleList, { cache: 'no-store' });

export const createSchedule = (body: CreateScheduleRequest) =>
  apiSend('POST', '/api/ingestion/schedules', body, Schedule);

export const updateSchedule = (id: string, body: UpdateScheduleRequest) =>
  apiSend('PATCH', `/api/ingestion/schedules/${encodeURIComponent(id)}`, body, Schedule);

export const deleteSchedule = (id: string) =>
  apiSend('DELETE', `/api/ingestion/schedules/${encodeURIComponent(id)}`, undefined, z.undefined());
