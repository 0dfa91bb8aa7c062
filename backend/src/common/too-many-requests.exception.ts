import { HttpException, HttpStatus } from '@nestjs/common';

/** A 429 that says when to come back: the exception filter turns `retryAfterSeconds` into Retry-After. */
export class TooManyRequestsException extends HttpException {
  readonly retryAfterSeconds: number;

  constructor(code: string, message: string, waitMs: number) {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    super({ code, message: `${message}: retry in ${seconds} s` }, HttpStatus.TOO_MANY_REQUESTS);
    this.retryAfterSeconds = seconds;
  }
}
