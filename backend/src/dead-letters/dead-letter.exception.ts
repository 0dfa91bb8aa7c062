import { HttpException, HttpStatus } from '@nestjs/common';

export enum DeadLetterExceptionCode {
  INVALID_CURSOR = 'INVALID_CURSOR',
  REDRIVE_FAILED = 'REDRIVE_FAILED',
}

/** The one mapping of dead-letter errors to HTTP statuses. */
export const DEAD_LETTER_EXCEPTION_STATUS: Record<DeadLetterExceptionCode, HttpStatus> = {
  [DeadLetterExceptionCode.INVALID_CURSOR]: HttpStatus.BAD_REQUEST,
  // Kafka did not take the records: their claims were given back, so sending the request again is safe
  [DeadLetterExceptionCode.REDRIVE_FAILED]: HttpStatus.SERVICE_UNAVAILABLE,
};

/** A dead-letter error with a stable code, rendered as `{ statusCode, code, message, details }`. */
export class DeadLetterException extends HttpException {
  constructor(
    readonly code: DeadLetterExceptionCode,
    message: string,
    details?: unknown,
  ) {
    super(
      { code, message, ...(details === undefined ? {} : { details }) },
      DEAD_LETTER_EXCEPTION_STATUS[code],
    );
  }
}
