import { UserDetail, UserLineage, UserPage, UserStats } from '@userstream/contracts';
import { apiGet } from './client';

const noStore = { cache: 'no-store' } as const;
const userPath = (id: string) => `/api/users/${encodeURIComponent(id)}`;

/**
 * `query` is already validated and holds only the parameters to send (see lib/forms/user-filters), `unmasked`
 * included when an admin asked to see personal data: otherwise it comes masked.
 */
export const searchUsers = (query: URLSearchParams, init?: RequestInit) =>
  apiGet(`/api/users?${query}`, UserPage, { ...noStore, ...init });

export const getUserStats = () => apiGet('/api/users/stats', UserStats, noStore);

/** Personal fields masked unless `unmasked` (admins only; the backend audits it). */
export const getUser = (id: string, { unmasked = false } = {}, init?: RequestInit) =>
  apiGet(`${userPath(id)}${unmasked ? '?unmasked=true' : ''}`, UserDetail, { ...noStore, ...init });

export const getUserLineage = (id: string, init?: RequestInit) =>
  apiGet(`${userPath(id)}/lineage`, UserLineage, { ...noStore, ...init });
