// docker/.env is the single source of truth for server versions: docker compose
// reads it automatically and this runner parses it with Node's own .env parser.
import fs from 'node:fs';
import { parseEnv } from 'node:util';

/** Reads the versions from docker/.env; every one of them must be present. */
export function readVersions(envFile) {
  let text;
  try {
    text = fs.readFileSync(envFile, 'utf8');
  } catch {
    throw new Error(
      `cannot read ${envFile}: it holds the server versions (KAFKA_VERSION, CASSANDRA_VERSION, ...)`,
    );
  }
  const vars = parseEnv(text);
  const pick = (key) => {
    if (!vars[key]) {
      throw new Error(`${key} is missing from ${envFile}`);
    }
    return vars[key];
  };
  return {
    kafka: pick('KAFKA_VERSION'),
    cassandra: pick('CASSANDRA_VERSION'),
    postgres: pick('POSTGRES_VERSION'),
  };
}
