import {
  type AddPartitionsRequest,
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
import { apiGet, apiSend } from './client';

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
  if (search) query.set('search', search);
  if (includeInternal) query.set('includeInternal', 'true');
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
