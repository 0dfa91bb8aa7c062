// docker/.env is the single source of truth for server versions: docker compose
// reads it automatically and this runner parses it the same way.
import fs from 'node:fs';

/** Parses KEY=VALUE lines: comments, blank lines, `export`, quotes, trailing ` # comments`. */
export function parseEnv(text) {
  const vars = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, '').trim();
    vars[match[1]] = value;
  }
  return vars;
}

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
    if (!vars[key]) throw new Error(`${key} is missing from ${envFile}`);
    return vars[key];
  };
  return {
    kafka: pick('KAFKA_VERSION'),
    cassandra: pick('CASSANDRA_VERSION'),
    postgres: pick('POSTGRES_VERSION'),
  };
}
