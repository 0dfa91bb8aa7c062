# userstream backend (NestJS, ESM): one image for the API (APP_ROLE=api) and the processors
# (APP_ROLE=processor). Build context: the repository root.
#
#   docker build -f docker/backend.Dockerfile -t userstream-backend .
#
# Files that never enter the context are listed in docker/backend.Dockerfile.dockerignore.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# The manifests alone, so that the dependency layers are rebuilt only when they change. npm ci checks the
# root lockfile against every workspace, so each workspace's package.json must be present, used or not.
FROM base AS manifests
COPY package.json package-lock.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/stack/package.json libs/stack/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
COPY e2e/package.json e2e/

# Build: the root's tooling (TypeScript) plus what contracts and backend need, then compile both.
# No lifecycle script is needed to build (no native addon), so none runs.
FROM manifests AS build
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts -w libs/contracts -w backend --include-workspace-root
COPY tsconfig.base.json ./
COPY libs/contracts/ libs/contracts/
COPY backend/ backend/
RUN npm run build -w libs/contracts && npm run build -w backend

# Runtime dependencies only: the backend's production dependencies (the contracts workspace comes as a
# link), without the frontend's, the e2e's or any devDependency.
FROM manifests AS prod-deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --omit=dev -w backend

FROM base AS runtime
ENV NODE_ENV=production \
    PORT=3001
# The workspace layout as npm laid it out (root node_modules, workspace links and manifests) ...
COPY --from=prod-deps /app/ ./
# ... plus the compiled code. Everything stays owned by root: the app only reads it.
COPY --from=build /app/libs/contracts/dist/ libs/contracts/dist/
COPY --from=build /app/backend/dist/ backend/dist/
# The Cassandra migrations are read at run time from ../../src/database/cql/ relative to dist/cassandra.
COPY backend/src/database/cql/ backend/src/database/cql/
WORKDIR /app/backend
USER node
EXPOSE 3001
# 200 only when Kafka, Cassandra and PostgreSQL all answer (503 otherwise).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
    CMD ["node", "-e", "const e = process.env; fetch(e.APP_ROLE === 'processor' ? 'http://127.0.0.1:' + (e.PROCESSOR_HTTP_PORT || 3002) + '/health/ready' : 'http://127.0.0.1:' + (e.PORT || 3001) + '/api/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# V8 otherwise lets the old generation grow toward a quarter of the host's memory before collecting: the
# backend's live heap is ~60 MB, and the cap keeps its peak RSS near 230 MB (npm run bench, case 5). Starting the
# old generation at 128 MB spares the full collections that records awaiting acknowledgement set off under the cap;
# under a cap this small V8 lets the heap grow only ~1.4x its live size between full collections, so a 60% step
# (still within the cap) keeps a fast run from collecting every 100 ms.
CMD ["node", "--max-old-space-size=192", "--initial-old-space-size=128", "--heap-growing-percent=60", "dist/main.js"]
