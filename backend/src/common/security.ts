import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';

/** JSON answers load nothing and are framed by no one. */
const API_CSP = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Swagger UI (/api/docs): its scripts and styles are files of this origin, plus inline styles and data: icons;
 * "try it out" calls this origin. No upgrade-insecure-requests: the local stack is plain http on any host.
 */
const DOCS_CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * helmet's headers (nosniff, no-referrer, HSTS, no X-Powered-By...) with frames denied and a CSP per kind
 * of answer. Call before anything that serves routes: Express runs middleware in the order added.
 */
export function useSecurityHeaders(app: NestExpressApplication, docsPath: string): void {
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
      frameguard: { action: 'deny' },
    }),
  );
  // replaces the header set just above, for the docs pages only (not /api/docs-json, which is data)
  app.use(`/${docsPath}`, helmet.contentSecurityPolicy({ useDefaults: false, directives: DOCS_CSP }));
}
