import {
  DeadLetterRecordPage,
  type DeadLetterKind,
  DeadLetterSummary,
  RedriveList,
  type RedriveRequest,
  RedriveResult,
} from '@userstream/contracts';
import { apiGet, apiSend } from './client';

const noStore = { cache: 'no-store' } as const;

export const getDeadLetterSummary = () => apiGet('/api/dead-letters', DeadLetterSummary, noStore);

export interface DeadLetterFilter {
  reason?: DeadLetterKind;
  /** A run id, or `none` for letters without one. */
  runId?: string;
  cursor?: string;
  unmasked?: boolean;
  limit?: number;
}

export function listDeadLetters({ reason, runId, cursor, unmasked, limit }: DeadLetterFilter) {
  const query = new URLSearchParams();
  if (reason) {
    query.set('reason', reason);
  }
  if (runId) {
    query.set('runId', runId);
  }
  if (cursor) {
    query.set('cursor', cursor);
  }
  if (unmasked) {
    query.set('unmasked', 'true');
  }
  if (limit) {
    query.set('limit', String(limit));
  }
  return apiGet(`/api/dead-letters/records?${query}`, DeadLetterRecordPage, noStore);
}

export const listRedrives = () => apiGet('/api/dead-letters/redrives', RedriveList, noStore);

/** With `dryRun` nothing is produced: the answer counts what would be. */
export const redriveDeadLetters = (body: RedriveRequest) =>
  apiSend('POST', '/api/dead-letters/redrive', body, RedriveResult);
