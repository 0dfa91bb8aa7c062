import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import type { ApiError } from '@userstream/contracts';
import { TooManyRequestsException } from './too-many-requests.exception.js';

const codeByStatus: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** The one place errors become HTTP bodies: `{ statusCode, code, message, details }`. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack : exception);
    }
    if (exception instanceof TooManyRequestsException) {
      res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiError {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const fields =
        typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
      return {
        statusCode,
        code: typeof fields['code'] === 'string' ? fields['code'] : (codeByStatus[statusCode] ?? 'ERROR'),
        message: typeof fields['message'] === 'string' ? fields['message'] : exception.message,
        ...(fields['details'] === undefined ? {} : { details: fields['details'] }),
      };
    }
    // body-parser errors (malformed JSON, oversized bodies) carry a status of their own
    const status = (exception as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return {
        statusCode: status,
        code: codeByStatus[status] ?? 'BAD_REQUEST',
        message: exception instanceof Error ? exception.message : 'Bad request',
      };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL',
      message: 'Internal server error',
    };
  }
}
