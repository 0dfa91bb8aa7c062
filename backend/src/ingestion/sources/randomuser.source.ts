import { NATIONALITIES, RandomUserField } from '@userstream/contracts';
import { retry, sleep } from '#src/common/index.js';
import { SourceError, type UserSource } from './user-source.js';

export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface RandomUserSourceOptions {
  /** e.g. `https://randomuser.me/api/`, or a pinned version `https://randomuser.me/api/1.3/`. */
  baseUrl: string;
  seed?: string;
  nationalities?: string[];
  include?: string[];
  exclude?: string[];
  timeoutMs?: number;
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (info: RetryInfo) => void;
  /** Bytes a response may take (MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

/** Far above a full page (5,000 users with every field is about 7 MB), far below what would hurt the backend. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Redirects followed within the configured host (a trailing slash, http -> https); none to another host. */
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A larger `results` is not clamped by the API: it silently answers with one user. */
export const RANDOMUSER_MAX_RESULTS = 5000;
/** The API takes pages 1-10000 (anything else is page 1); we wrap before the end. */
const MAX_PAGE = 9999;
const SNIPPET_LENGTH = 120;

const NATS_1_0 = [
  'AU',
  'BR',
  'CA',
  'CH',
  'DE',
  'DK',
  'ES',
  'FI',
  'FR',
  'GB',
  'IE',
  'IR',
  'NL',
  'NZ',
  'TR',
  'US',
];
const NATS_BY_VERSION: Record<string, readonly string[]> = {
  '1.0': NATS_1_0,
  '1.1': NATS_1_0,
  '1.2': [...NATS_1_0, 'NO'],
  '1.3': [...NATS_1_0, 'NO'],
  '1.4': NATIONALITIES,
};

type RetryAnswer = {
  kind: 'retry';
  reason: string;
  status?: number;
  retryAfterMs?: number;
  errorBody?: boolean;
};
type Attempt = { kind: 'ok'; users: unknown[] } | RetryAnswer | { kind: 'fail'; error: SourceError };

/** An answer worth asking again for (carried through the retry as its error). */
class RetryableAnswer extends Error {
  constructor(readonly answer: RetryAnswer) {
    super(answer.reason);
  }
}

/**
 * Fetches users from randomuser.me (or anything serving its API), one request per `next` call.
 *
 * Retries 429, transient 5xx, timeouts and network errors with exponential backoff and full jitter,
 * honouring `Retry-After`. Anything else that is not a list of users fails at once with a SourceError:
 * retrying a non-JSON 200 or a 404 would only repeat it. A 200 carrying `{ "error": ... }` is retried once,
 * because that is how the infrastructure in front of the API reports a passing outage.
 */
export class RandomUserSource implements UserSource {
  readonly kind = 'randomuser' as const;

  private readonly baseUrl: URL;
  private readonly host: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly onRetry?: (info: RetryInfo) => void;
  private readonly seed?: string;
  private readonly nat?: string;
  private readonly inc?: string;
  private readonly exc?: string;
  private readonly maxResponseBytes: number;
  private page = 1;

  constructor(options: RandomUserSourceOptions) {
    this.baseUrl = parseBaseUrl(options.baseUrl);
    this.host = this.baseUrl.host;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.maxRetries = Math.max(0, options.maxRetries ?? 5);
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.sleep = options.sleep ?? sleep;
    this.onRetry = options.onRetry;
    this.seed = options.seed || undefined;
    this.nat = options.nationalities?.length
      ? checkNationalities(options.nationalities, apiVersion(this.baseUrl))
      : undefined;
    this.inc = options.include?.length ? checkFields('include', options.include) : undefined;
    this.exc = options.exclude?.length ? checkFields('exclude', options.exclude) : undefined;
  }

  /** Asks for `min(count, 5000)` users; callers wanting more call again. */
  async next(count: number, signal?: AbortSignal): Promise<unknown[]> {
    signal?.throwIfAborted();
    const results = Math.min(Math.floor(count), RANDOMUSER_MAX_RESULTS);
    // `results=0` would answer one user, so zero users is answered without asking.
    if (!(results >= 1)) {
      return [];
    }
    const url = this.url(results);

    let errorBodies = 0;
    try {
      const users = await retry(
        async () => {
          const outcome = await this.attempt(url, signal);
          if (outcome.kind === 'fail') {
            throw outcome.error;
          }
          if (outcome.kind === 'ok') {
            return outcome.users;
          }
          if (outcome.errorBody && ++errorBodies > 1) {
            throw new SourceError(`${this.host} answered twice without users; last: ${outcome.reason}`, 200);
          }
          throw new RetryableAnswer(outcome);
        },
        {
          maxAttempts: this.maxRetries + 1,
          retryable: (error) => error instanceof RetryableAnswer,
          delayMs: (attempt, error) => this.delay(attempt, (error as RetryableAnswer).answer.retryAfterMs),
          onRetry: (error, attempt, delayMs) =>
            this.onRetry?.({ attempt, delayMs, reason: (error as RetryableAnswer).answer.reason }),
          signal,
          wait: this.sleep,
        },
      );
      this.page = this.page >= MAX_PAGE ? 1 : this.page + 1;
      return users;
    } catch (error) {
      signal?.throwIfAborted();
      if (error instanceof RetryableAnswer) {
        throw this.exhausted(this.maxRetries + 1, error.answer);
      }
      throw error;
    }
  }

  /** The API answers a whole page at once, so this only saves the caller a pass. */
  async nextEncoded<T>(count: number, encode: (user: unknown) => T, signal?: AbortSignal): Promise<T[]> {
    return (await this.next(count, signal)).map(encode);
  }

  private url(results: number): URL {
    const url = new URL(this.baseUrl);
    url.searchParams.set('results', String(results));
    if (this.seed) {
      // Same seed and same parameters give the same users, so the page is what makes each call new.
      url.searchParams.set('seed', this.seed);
      url.searchParams.set('page', String(this.page));
    }
    if (this.nat) {
      url.searchParams.set('nat', this.nat);
    }
    if (this.inc) {
      url.searchParams.set('inc', this.inc);
    }
    if (this.exc) {
      url.searchParams.set('exc', this.exc);
    }
    return url;
  }

  private async attempt(url: URL, signal: AbortSignal | undefined): Promise<Attempt> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let status: number | undefined;
    let text: string;
    let retryAfter: string | null = null;
    try {
      const res = await this.follow(url, signal ? AbortSignal.any([signal, timeout]) : timeout);
      if (res instanceof SourceError) {
        return { kind: 'fail', error: res };
      }
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      const body = await readCapped(res, this.maxResponseBytes);
      if (body === null) {
        const error = `${this.host} answered more than ${sizeText(this.maxResponseBytes)}; refused`;
        return { kind: 'fail', error: new SourceError(error, status) };
      }
      text = body;
    } catch (err) {
      if (signal?.aborted) {
        throw signal.reason;
      }
      const during = status === undefined ? '' : ` while reading an HTTP ${status} body`;
      if (timeout.aborted) {
        return { kind: 'retry', reason: `no answer within ${this.timeoutMs} ms${during}`, status };
      }
      return { kind: 'retry', reason: `network error${during}: ${networkReason(err)}`, status };
    }

    if (status < 200 || status > 299) {
      const reason = `HTTP ${status}, body: "${snippet(text)}"`;
      if (isRetriable(status)) {
        return { kind: 'retry', reason, status, retryAfterMs: parseRetryAfter(retryAfter) };
      }
      return { kind: 'fail', error: new SourceError(`${this.host} refused the request: ${reason}`, status) };
    }

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // a proxy's error page or a body cut short: worth one more try, like an {error} body
      const what = text.trim() === '' ? 'an empty body' : `a body that is not JSON: "${snippet(text)}"`;
      return { kind: 'retry', reason: `HTTP ${status} with ${what}`, status, errorBody: true };
    }
    if (isRecord(body) && typeof body.error === 'string') {
      return { kind: 'retry', reason: `"${snippet(body.error)}"`, status, errorBody: true };
    }
    if (!isRecord(body) || !Array.isArray(body.results)) {
      return {
        kind: 'fail',
        error: new SourceError(`${this.host} answered without a "results" list: "${snippet(text)}"`, status),
      };
    }
    return { kind: 'ok', users: body.results as unknown[] };
  }

  /**
   * GET, following redirects only within the configured host: the source's address is the operator's choice, and
   * a redirect elsewhere (a hijacked DNS name, an open redirect) must not take the backend's requests along.
   */
  private async follow(url: URL, signal: AbortSignal): Promise<Response | SourceError> {
    let target = url;
    for (let hops = 0; ; hops++) {
      const res = await fetch(target, {
        headers: { accept: 'application/json' },
        signal,
        redirect: 'manual',
      });
      if (!REDIRECT_STATUSES.has(res.status)) {
        return res;
      }
      await res.body?.cancel();
      const location = res.headers.get('location');
      const next = location ? resolveUrl(location, target) : null;
      if (!next) {
        return new SourceError(
          `${this.host} answered HTTP ${res.status} without a usable Location`,
          res.status,
        );
      }
      if (next.host !== this.host) {
        return new SourceError(
          `${this.host} redirected to ${next.host}; redirects to another host are refused (set RANDOMUSER_BASE_URL to it if it is meant)`,
          res.status,
        );
      }
      if (hops >= MAX_REDIRECTS) {
        return new SourceError(`${this.host} redirected more than ${MAX_REDIRECTS} times`, res.status);
      }
      target = next;
    }
  }

  private delay(attempt: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) {
      return Math.min(retryAfterMs, this.maxDelayMs);
    }
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(Math.random() * ceiling);
  }

  private exhausted(attempts: number, last: { reason: string; status?: number }): SourceError {
    const hint =
      last.status === 429
        ? ' (the API allows about 20,000 users per IP every 5 minutes: lower the rate or use the synthetic source)'
        : '';
    return new SourceError(
      `${this.host} failed ${attempts} times in a row; last: ${last.reason}${hint}`,
      last.status,
    );
  }
}

function resolveUrl(location: string, base: URL): URL | null {
  try {
    return new URL(location, base);
  } catch {
    return null;
  }
}

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`
    : `${bytes.toLocaleString('en')} bytes`;

/** The body as text, or null once it is larger than `maxBytes` (stops reading there). */
async function readCapped(res: Response, maxBytes: number): Promise<string | null> {
  if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
    await res.body?.cancel();
    return null;
  }
  if (!res.body) {
    return '';
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) {
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBaseUrl(baseUrl: string): URL {
  try {
    return new URL(baseUrl);
  } catch {
    throw new SourceError(`The randomuser.me base URL "${baseUrl}" is not a valid URL`);
  }
}

/** The version pinned in the path (`/api/1.2/`), if any. */
function apiVersion(url: URL): string | undefined {
  return /\/api\/(1\.[0-4])\/?$/.exec(url.pathname)?.[1];
}

/** One unknown code makes the API ignore the whole list and answer random nationalities: refuse it here. */
function checkNationalities(codes: string[], version: string | undefined): string {
  const known = NATS_BY_VERSION[version ?? '1.4'] ?? NATIONALITIES;
  const upper = codes.map((code) => code.trim().toUpperCase());
  const unknown = upper.filter((code) => !known.includes(code));
  if (unknown.length > 0) {
    throw new SourceError(
      `randomuser.me ${version ?? '1.4'} does not know the nationality ${unknown.map((c) => `"${c}"`).join(', ')} ` +
        `(it knows ${known.join(', ')}); it would silently ignore the whole list`,
    );
  }
  return upper.join(',');
}

function checkFields(option: 'include' | 'exclude', fields: string[]): string {
  const unknown = fields.filter((field) => !RandomUserField.safeParse(field).success);
  if (unknown.length > 0) {
    throw new SourceError(
      `Unknown randomuser.me field in ${option}: ${unknown.map((f) => `"${f}"`).join(', ')} ` +
        `(known: ${RandomUserField.options.join(', ')})`,
    );
  }
  return fields.join(',');
}

/** 429 is the rate limit; 5xx are the API's plain 500 or the proxies in front of it (502/503/504, Cloudflare 52x). */
function isRetriable(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

/** `Retry-After` is either seconds or an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') {
    return undefined;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function networkReason(err: unknown): string {
  if (!(err instanceof Error)) {
    return String(err);
  }
  const cause = err.cause;
  if (isRecord(cause)) {
    const code = typeof cause.code === 'string' ? cause.code : undefined;
    const message = typeof cause.message === 'string' ? cause.message : undefined;
    if (code || message) {
      return [code, message].filter(Boolean).join(' ');
    }
  }
  return err.message;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
