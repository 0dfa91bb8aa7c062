# userstream frontend (Next.js App Router) served by `next start`. Build context: the repository root.
#
#   docker build -f docker/frontend.Dockerfile -t userstream-frontend .
#   docker run -p 3000:3000 -e BACKEND_URL=http://host.docker.internal:3001 userstream-frontend
#
# BACKEND_URL is read at run time by the /api/* route handler, so one image fits every backend address.
# Files that never enter the context are listed in docker/frontend.Dockerfile.dockerignore.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    NEXT_TELEMETRY_DISABLED=1

# The manifests alone, so that the dependency layers are rebuilt only when they change. npm ci checks the
# root lockfile against every workspace, so each workspace's package.json must be present, used or not.
FROM base AS manifests
COPY package.json package-lock.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/stack/package.json libs/stack/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
COPY e2e/package.json e2e/

# Build: the root's tooling plus what contracts and frontend need; contracts compile first (the frontend
# imports their dist/). Next's compiler and sharp come as prebuilt optional packages: no script needed.
FROM manifests AS build
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts -w libs/contracts -w frontend --include-workspace-root
COPY tsconfig.base.json ./
COPY libs/contracts/ libs/contracts/
COPY frontend/ frontend/
RUN npm run build -w libs/contracts \
    && npm run build -w frontend \
    && rm -rf frontend/.next/cache

# Runtime dependencies only: next, react and the rest of the frontend's production dependencies.
FROM manifests AS prod-deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --omit=dev -w frontend

FROM base AS runtime
ENV NODE_ENV=production \
    FRONTEND_PORT=3000
COPY --from=prod-deps /app/ ./
COPY tsconfig.base.json ./
COPY --from=build /app/libs/contracts/dist/ libs/contracts/dist/
# `next start` loads next.config.ts (and the tsconfig.json beside it) and serves public/ from the project
# folder: the sources are small, so the whole folder comes along.
COPY frontend/ frontend/
# The build output belongs to `node`: next start writes its caches under .next/ at run time.
COPY --from=build --chown=node:node /app/frontend/.next/ frontend/.next/
WORKDIR /app/frontend
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.FRONTEND_PORT || 3000) + '/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Not `npm start`: its script binds 127.0.0.1, which nothing outside the container could reach.
CMD ["sh", "-c", "exec node ../node_modules/next/dist/bin/next start -H 0.0.0.0 -p \"${FRONTEND_PORT:-3000}\""]
