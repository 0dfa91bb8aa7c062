import { Me } from '@userstream/contracts';
import { apiGet } from './client';

/** The caller's name and role, and the backend's auth mode (`none`: everyone is a local admin). */
export const getMe = () => apiGet('/api/auth/me', Me, { cache: 'no-store' });
