import { AuthErrorCode } from '@userstream/contracts';

const STORAGE_KEY = 'userstream.apiToken';

/** The headers of a backend call, with `authorization: Bearer <token>` when a token is set. */
export function withAuthorization(
  headers: Record<string, string>,
  token: string | null | undefined,
): Record<string, string> {
  const trimmed = token?.trim();
  return trimmed ? { ...headers, authorization: `Bearer ${trimmed}` } : headers;
}

/** Why the backend refused a call with 401: one of its codes, or `unknown` for a body without one. */
export type AuthRefusal = AuthErrorCode | 'unknown';

export interface AuthState {
  token: string | null;
  /** Set when a call answered 401 since the token last changed; the sign-in prompt opens on it. */
  refusal: AuthRefusal | null;
}

const SERVER_STATE: AuthState = { token: null, refusal: null };
let state: AuthState | undefined;
const listeners = new Set<() => void>();

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    // no localStorage: rendering on the server, or storage blocked by the browser
    return null;
  }
}

function update(next: AuthState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

/** The token and refusal as of now; read from localStorage on first use. */
export function getAuthState(): AuthState {
  state ??= { token: readStored(), refusal: null };
  return state;
}

export const getServerAuthState = () => SERVER_STATE;

/** Stores (or, with null, forgets) the token; the next calls and the live socket use it. */
export function setToken(token: string | null): void {
  const value = token?.trim() || null;
  try {
    if (value) {
      localStorage.setItem(STORAGE_KEY, value);
    } else {
      localStorage.removeItem(STORAGE_KEY);
    }
  } catch {
    // the token then lasts for this tab only
  }
  update({ token: value, refusal: null });
}

/** Called by the API client on a 401; repeated refusals with the same code change nothing. */
export function reportUnauthorized(code: string | undefined): void {
  const parsed = AuthErrorCode.safeParse(code);
  const refusal: AuthRefusal = parsed.success ? parsed.data : 'unknown';
  if (getAuthState().refusal !== refusal) {
    update({ ...getAuthState(), refusal });
  }
}

const onStorage = (event: StorageEvent) => {
  if (event.key === STORAGE_KEY) {
    update({ token: event.newValue, refusal: null });
  }
};

/** For useSyncExternalStore; follows sign-ins and sign-outs made in other tabs too. */
export function subscribeAuth(listener: () => void): () => void {
  if (listeners.size === 0) {
    window.addEventListener('storage', onStorage);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.removeEventListener('storage', onStorage);
    }
  };
}
