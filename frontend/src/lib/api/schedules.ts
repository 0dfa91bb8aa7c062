import {
  type CreateScheduleRequest,
  Run,
  Schedule,
  ScheduleFirings,
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

/** "Run now": a run with the schedule's parameters, linked to it. */
export const runScheduleNow = (id: string) =>
  apiSend('POST', `/api/ingestion/schedules/${encodeURIComponent(id)}/run`, undefined, Run);

/** The schedule's next `count` firings, computed in its time zone. */
export const getScheduleFirings = (id: string, count = 5) =>
  apiGet(`/api/ingestion/schedules/${encodeURIComponent(id)}/next?count=${count}`, ScheduleFirings, {
    cache: 'no-store',
  });
