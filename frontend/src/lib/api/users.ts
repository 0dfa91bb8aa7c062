import { StoredUser, UserLineage, UserPage, UserStats } from '@userstream/contracts';
import { apiGet } from './client';

const noStore = { cache: 'no-store' } as const;
const userPath = (id: string) => `/api/users/${encodeURIComponent(id)}`;

/** `query` is already validated and holds only the parameters to send (see lib/forms/user-filters). */
export const searchUsers = (query: URLSearchParams, init?: RequestInit) =>
  apiGet(`/api/users?${query}`, UserPage, { ...noStore, ...init });

export const getUserStats = () => apiGet('/api/users/stats', UserStats, noStore);

export const getUser = (id: string, init?: RequestInit) =>
  apiGet(userPath(id), StoredUser, { ...noStore, ...init });

export const getUserLineage = (id: string, init?: RequestInit) =>
  apiGet(`${userPath(id)}/lineage`, UserLineage, { ...noStore, ...init });
