// Public API of @userstream/stack, used by bin/userstream.mjs (and the start/test commands).
export { stackUp, stackDown, stackStatus, stackLogs, logNames, stackClientEnv } from './stack.mjs';
export { parseNodes, MAX_NODES } from './topology.mjs';
export { ensurePostgres, databaseUrl, parseDatabaseUrl, DEFAULT_DATABASE_URL } from './postgres.mjs';
export { probeKafka, probeCassandra, pgSession } from './drivers.mjs';
export { readVersions } from './env.mjs';
export { resolveJava } from './java.mjs';
export { StackError } from './errors.mjs';
export { stackInstance } from './instance.mjs';
export { kafkaPort } from './kafka.mjs';
export { cqlPort } from './cassandra.mjs';
export { paths, REPO_ROOT, ENV_FILE } from './paths.mjs';
