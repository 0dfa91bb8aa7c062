import {
  ConsumerGroupDetail,
  ConsumerGroupList,
  type OffsetResetRequest,
  OffsetResetResult,
} from '@userstream/contracts';
import { apiGet, apiSend } from './client';

const noStore = { cache: 'no-store' } as const;
const groupPath = (groupId: string) => `/api/consumer-groups/${encodeURIComponent(groupId)}`;

export interface GroupListParams {
  page: number;
  pageSize: number;
  search?: string;
}

export function listConsumerGroups({ page, pageSize, search }: GroupListParams): Promise<ConsumerGroupList> {
  const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  if (search) {
    query.set('search', search);
  }
  return apiGet(`/api/consumer-groups?${query}`, ConsumerGroupList, noStore);
}

export const getConsumerGroup = (groupId: string) => apiGet(groupPath(groupId), ConsumerGroupDetail, noStore);

/** With `dryRun` nothing changes: the answer says where the offsets would go and the lag left. */
export const resetGroupOffsets = (groupId: string, body: OffsetResetRequest) =>
  apiSend('POST', `${groupPath(groupId)}/offsets/reset`, body, OffsetResetResult);
