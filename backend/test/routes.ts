import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { UNPREFIXED_ROUTES } from '#src/bootstrap.js';

/** Route discovery for the tests that must cover every route (auth, bad input): a new route cannot slip through. */
export interface Route {
  method: string;
  path: string;
}

const joinPath = (...parts: string[]) =>
  `/${parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;

/**
 * Every HTTP route of every controller in the app, from Nest's own metadata (so a controller added by any
 * module is found), each checked against what Express really serves.
 */
export function nestRoutes(app: NestExpressApplication): Route[] {
  const scanner = new MetadataScanner();
  const routes = new Map<string, Route>();
  for (const { metatype } of new DiscoveryService(app.get(ModulesContainer)).getControllers()) {
    if (typeof metatype !== 'function') {
      continue;
    }
    const prototype = metatype.prototype as Record<string, unknown>;
    const controllerPaths = [Reflect.getMetadata(PATH_METADATA, metatype) as string | string[]].flat();
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as object;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (method === undefined || paths === undefined) {
        continue;
      } // not an HTTP handler (e.g. Kafka)
      for (const controllerPath of controllerPaths) {
        for (const path of [paths].flat()) {
          const prefix = UNPREFIXED_ROUTES.includes(controllerPath.replace(/^\/+|\/+$/g, '')) ? '' : 'api';
          const route = { method: RequestMethod[method], path: joinPath(prefix, controllerPath, path) };
          routes.set(`${route.method} ${route.path}`, route);
        }
      }
    }
  }
  return [...routes.values()];
}

/** What Express serves, as "METHOD /path" (ALL for `@All`), whoever registered it (Nest, swagger). */
export function expressRoutes(app: NestExpressApplication): Route[] {
  const express = app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: unknown; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack.flatMap(({ route }) =>
    route && typeof route.path === 'string'
      ? Object.keys(route.methods).map((method) => ({
          method: method === '_all' ? 'ALL' : method.toUpperCase(),
          path: route.path as string,
        }))
      : [],
  );
}

/** `@All` routes are probed as a read and as a change. */
export const probes = (routes: Route[]): Route[] =>
  routes.flatMap((route) =>
    route.method === 'ALL'
      ? [
          { ...route, method: 'GET' },
          { ...route, method: 'POST' },
        ]
      : [route],
  );

/** A concrete URL for a route pattern: ids that exist nowhere, so nothing is found or changed. */
export const concrete = (path: string) =>
  path
    .replace(/:(\w*id)\b/gi, randomUUID())
    .replace(/:\w+/g, `int-auth-missing-${randomUUID().slice(0, 8)}`)
    .replace(/\*\w+/g, 'x/y');
