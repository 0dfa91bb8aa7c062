/**
 * Where a run gets its users from. `next` answers with raw user objects exactly as the randomuser.me API
 * shapes them (the processor validates them, so nothing is checked here); `[]` is a legal answer.
 * When `signal` aborts, `next` rejects with the signal's reason without retrying.
 */
export interface UserSource {
  next(count: number, signal?: AbortSignal): Promise<unknown[]>;
  /**
   * As `next`, but each user is handed to `encode` as soon as it exists and only what `encode` returns is
   * kept: a source that makes its users need never hold a page of them (under a small heap, a page of
   * objects outliving a young-generation collection is what makes a fast run slow).
   */
  nextEncoded<T>(count: number, encode: (user: unknown) => T, signal?: AbortSignal): Promise<T[]>;
  readonly kind: 'randomuser' | 'synthetic';
}

/** A source failed for good (retries exhausted, bad answer, bad parameters); the message is meant for users. */
export class SourceError extends Error {
  override readonly name = 'SourceError';

  constructor(
    message: string,
    /** The last HTTP status the source answered, when there was one. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
