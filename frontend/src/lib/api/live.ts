import { type HistoryRange, LiveHistory } from '@userstream/contracts';
import { apiGet } from './client';

export const fetchLiveHistory = (range: HistoryRange) =>
  apiGet(`/api/live/history?range=${range}`, LiveHistory, { cache: 'no-store' });
