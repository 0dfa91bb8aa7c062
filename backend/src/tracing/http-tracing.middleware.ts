import type { NextFunction, Request, Response } from 'express';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import { REQUEST_ID_HEADER } from '#src/common/index.js';
import type { TracingService } from './tracing.service.js';

/**
 * One server span per HTTP request, ended when the response is sent, so requests refused by a guard, a pipe or
 * no route at all are traced too. Named by the route template (`GET /api/ingestion/runs/:id`), never the raw
 * path, so a trace backend can group them.
 */
export function httpTracing(tracing: TracingService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // no URL attribute: paths and query strings may carry user ids or tokens
    const span = tracing.startSpan(req.method, { [ATTR_HTTP_REQUEST_METHOD]: req.method }, SpanKind.SERVER);
    res.once('close', () => {
      // Express sets the matched route on the request while it runs the handler
      const route = (req.route as { path?: unknown } | undefined)?.path;
      if (typeof route === 'string') {
        span.setAttribute(ATTR_HTTP_ROUTE, route);
        span.updateName(`${req.method} ${route}`);
      }
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      const requestId = res.getHeader(REQUEST_ID_HEADER);
      if (typeof requestId === 'string') {
        span.setAttribute('userstream.request_id', requestId);
      }
      if (res.statusCode >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    });
    next();
  };
}
