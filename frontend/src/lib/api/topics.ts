import {
  type AddPartitionsRequest,
  ApiError,
  type ExportFormat,
  MessageSearchPage,
  type AlterTopicConfigsRequest,
  type CreateTopicRequest,
  MessagePage,
  ProducedMessage,
  type ProduceMessageRequest,
  TopicConfigList,
  TopicDetail,
  TopicList,
} from '@userstream/contracts';
import { z } from 'zod';
import { getAuthState, withAuthorization } from '@/lib/auth/auth-token';
import { apiGet, ApiRequestError, apiSend } from './client';

const noStore = { cache: 'no-store' } as const;
const topicPath = (name: string) => `/api/topics/${encodeURIComponent(name)}`;

export interface TopicListParams {
  page: number;
  pageSize: number;
  search?: string;
  includeInternal?: boolean;
}

export function listTopics({ page, pageSize, search, includeInternal }: TopicListParams): Promise<TopicList> {
  const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  if (search) {
    query.set('search', search);
  }
  if (includeInternal) {
    query.set('includeInternal', 'true');
  }
  return apiGet(`/api/topics?${query}`, TopicList, noStore);
}

export const getTopic = (name: string) => apiGet(topicPath(name), TopicDetail, noStore);

export const createTopic = (body: CreateTopicRequest) => apiSend('POST', '/api/topics', body, TopicDetail);

/** `force` lets an admin delete a pipeline topic; Kafka's internal topics are refused whatever it says. */
export const deleteTopic = (name: string, force = false) =>
  apiSend('DELETE', `${topicPath(name)}${force ? '?force=true' : ''}`, undefined, z.undefined());

export const addPartitions = (name: string, body: AddPartitionsRequest) =>
  apiSend('POST', `${topicPath(name)}/partitions`, body, TopicDetail);

export const alterTopicConfigs = (name: string, body: AlterTopicConfigsRequest) =>
  apiSend('PATCH', `${topicPath(name)}/configs`, body, TopicConfigList);

/** `query` is already validated by BrowseMessagesQuery: its values as the query string carries them. */
export const browseMessages = (name: string, query: URLSearchParams) =>
  apiGet(`${topicPath(name)}/messages?${query}`, MessagePage, noStore);

export const produceMessage = (name: string, body: ProduceMessageRequest) =>
  apiSend('POST', `${topicPath(name)}/messages`, body, ProducedMessage);

/** `query` is already validated by MessageSearchQuery: its values as the query string carries them. */
export const searchMessages = (name: string, query: URLSearchParams) =>
  apiGet(`${topicPath(name)}/messages/search?${query}`, MessageSearchPage, noStore);

/**
 * Downloads what a search finds (`format` jsonl or csv). Fetched with the session's token, which a plain link
 * could not send, then handed to the browser as a file.
 */
export async function exportMessages(name: string, query: URLSearchParams, format: ExportFormat) {
  const params = new URLSearchParams(query);
  params.delete('cursor');
  params.set('format', format);
  const res = await fetch(`${topicPath(name)}/messages/export?${params}`, {
    cache: 'no-store',
    headers: withAuthorization({}, getAuthState().token),
  });
  if (!res.ok) {
    const json: unknown = await res.json().catch(() => undefined);
    const body = ApiError.safeParse(json);
    throw new ApiRequestError(res.status, body.success ? body.data : undefined);
  }
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `${name}-messages.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
