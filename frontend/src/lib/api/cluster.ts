import { ClusterStatus, ProcessorsStatus } from '@userstream/contracts';
import { apiGet } from './client';

const noStore = { cache: 'no-store' } as const;

export const getCluster = () => apiGet('/api/cluster', ClusterStatus, noStore);

export const getProcessors = () => apiGet('/api/processors', ProcessorsStatus, noStore);
