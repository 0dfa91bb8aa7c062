import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';

/**
 * docker/compose.yml and the two Dockerfiles cannot be run here (no Docker engine in tests), so this checks
 * their structure instead: the services, their health checks and volumes, the start order, and that the
 * backend's environment in Compose stays in step with `.env.example`.
 */

const repoFile = (relative: string) => new URL(`../../../${relative}`, import.meta.url);
const read = (relative: string) => readFileSync(repoFile(relative), 'utf8');

/** KEY=VALUE lines of a dotenv file; comments and blank lines are skipped. */
function parseDotenv(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match?.[1] !== undefined) vars.set(match[1], (match[2] ?? '').replace(/^(['"])(.*)\1$/, '$2'));
  }
  return vars;
}

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The parts of the Compose specification this test reads, in both their short and long forms. */
const Service = z.object({
  image: z.string().nullish(),
  build: z
    .union([z.string(), z.object({ context: z.string(), dockerfile: z.string().optional() })])
    .nullish(),
  container_name: z.string().nullish(),
  environment: z.union([z.record(z.string(), scalar), z.array(z.string())]).nullish(),
  depends_on: z
    .union([z.array(z.string()), z.record(z.string(), z.object({ condition: z.string().optional() }))])
    .nullish(),
  healthcheck: z
    .object({ test: z.union([z.string(), z.array(z.string())]).nullish(), disable: z.boolean().optional() })
    .nullish(),
  ports: z
    .array(
      z.union([
        z.string(),
        z.number(),
        z.object({ target: z.number(), published: z.union([z.string(), z.number()]).optional() }),
      ]),
    )
    .nullish(),
  volumes: z
    .array(z.union([z.string(), z.object({ type: z.string().optional(), source: z.string().optional() })]))
    .nullish(),
});
type Service = z.infer<typeof Service>;

const ComposeFile = z.looseObject({
  services: z.record(z.string(), Service),
  volumes: z.record(z.string(), z.unknown().nullable()).optional(),
});

const composeText = read('docker/compose.yml');
// `<<` merge keys share one environment block between the API and the processors (Compose supports them).
const rawCompose: unknown = YAML.parse(composeText, { merge: true });
const compose = ComposeFile.parse(rawCompose);
const dockerEnv = parseDotenv(read('docker/.env'));
const envExample = parseDotenv(read('.env.example'));

/** Resolves `${VAR}`, `${VAR:-default}` and `${VAR:?error}` the way Compose would with only docker/.env set. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (_match, name: string, op?: string, arg?: string) => {
      const set = dockerEnv.get(name);
      if (op?.endsWith('-')) return set !== undefined && (set !== '' || op === '-') ? set : (arg ?? '');
      return set ?? '';
    },
  );
}

function service(name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker/compose.yml has no service "${name}"`);
  return found;
}

function environment(name: string): Map<string, string> {
  const env = service(name).environment ?? {};
  const entries: [string, string][] = Array.isArray(env)
    ? env.map((item): [string, string] => {
        const at = item.indexOf('=');
        return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(env).map(([key, value]): [string, string] => [key, value === null ? '' : String(value)]);
  return new Map(entries);
}

function dependencies(name: string): Map<string, string | undefined> {
  const deps = service(name).depends_on ?? [];
  return Array.isArray(deps)
    ? new Map(deps.map((dep): [string, string | undefined] => [dep, undefined]))
    : new Map(Object.entries(deps).map(([dep, spec]): [string, string | undefined] => [dep, spec.condition]));
}

/** [host port, container port] of each published port, interpolated; host is undefined when unpublished. */
function publishedPorts(name: string): [string | undefined, number][] {
  return (service(name).ports ?? []).map((port): [string | undefined, number] => {
    if (typeof port === 'number') return [undefined, port];
    if (typeof port === 'object') {
      return [port.published === undefined ? undefined : String(port.published), port.target];
    }
    const parts = interpolate(port)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const container = Number(parts.at(-1));
    return [parts.length > 1 ? parts.at(-2) : undefined, container];
  });
}

function namedVolumes(name: string): string[] {
  return (service(name).volumes ?? []).flatMap((volume) => {
    const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
    return source !== undefined && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source) ? [source] : [];
  });
}

/** Instructions of a Dockerfile: comments dropped, `\` continuations joined, keyword upper-cased. */
function dockerfileInstructions(relative: string): { keyword: string; args: string }[] {
  return read(relative)
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

const STORES = ['kafka', 'cassandra', 'postgres'] as const;
const BACKEND_PROCESSES = ['backend', 'processor'] as const;

describe('docker/compose.yml', () => {
  it('uses the Compose specification (no version key) and defines the six services', () => {
    expect(rawCompose).not.toHaveProperty('version');
    expect(Object.keys(compose.services).sort()).toEqual(
      ['backend', 'cassandra', 'frontend', 'kafka', 'postgres', 'processor'].sort(),
    );
  });

  it.each(STORES)('%s has a health check and keeps its data in a declared named volume', (name) => {
    const { healthcheck } = service(name);
    expect(healthcheck?.disable).not.toBe(true);
    expect(healthcheck?.test?.length ?? 0).toBeGreaterThan(0);
    const volumes = namedVolumes(name);
    expect(volumes).toHaveLength(1);
    expect(Object.keys(compose.volumes ?? {})).toEqual(expect.arrayContaining(volumes));
  });

  it('checks each store with its own client', () => {
    expect(String(service('kafka').healthcheck?.test)).toMatch(/kafka-(broker-api-versions|topics)\.sh/);
    expect(String(service('cassandra').healthcheck?.test)).toMatch(
      /cqlsh .*SELECT release_version FROM system\.local/,
    );
    expect(String(service('postgres').healthcheck?.test)).toMatch(/pg_isready/);
  });

  it.each([
    ['kafka', 'apache/kafka', 'KAFKA_VERSION'],
    ['cassandra', 'cassandra', 'CASSANDRA_VERSION'],
    ['postgres', 'postgres', 'POSTGRES_VERSION'],
  ])('%s runs the official image at the version docker/.env pins', (name, image, variable) => {
    expect(service(name).image).toMatch(new RegExp(`^${image}:\\$\\{${variable}(:?[-?][^}]*)?\\}$`));
    expect(dockerEnv.get(variable)).toMatch(/^\S+$/);
    expect(interpolate(service(name).image ?? '')).toBe(`${image}:${dockerEnv.get(variable)}`);
  });

  it('configures Kafka as a single KRaft node with an in-network and a host listener', () => {
    const env = environment('kafka');
    expect(env.get('KAFKA_PROCESS_ROLES')).toBe('broker,controller');
    expect(env.get('KAFKA_NODE_ID')).toBe('1');
    expect(env.get('KAFKA_CONTROLLER_QUORUM_VOTERS')).toMatch(/^1@/);
    expect(env.get('KAFKA_ADVERTISED_LISTENERS')).toContain('//kafka:9092');
    expect(env.get('KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR')).toBe('1');
    expect(env.get('KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR')).toBe('1');
    expect(publishedPorts('kafka').some(([host]) => host !== undefined)).toBe(true);
  });

  it.each(BACKEND_PROCESSES)('%s starts only once Kafka, Cassandra and PostgreSQL are healthy', (name) => {
    const deps = dependencies(name);
    for (const store of STORES) expect([store, deps.get(store)]).toEqual([store, 'service_healthy']);
  });

  it.each(BACKEND_PROCESSES)('%s sets only variables that .env.example declares', (name) => {
    const undeclared = [...environment(name).keys()].filter((key) => !envExample.has(key));
    expect(undeclared).toEqual([]);
  });

  it.each(BACKEND_PROCESSES)(
    '%s sets every variable of .env.example, pointing at the Compose services',
    (name) => {
      const env = environment(name);
      expect([...envExample.keys()].filter((key) => !env.has(key))).toEqual([]);
      expect(env.get('NODE_ENV')).toBe('production');
      expect(env.get('KAFKA_BROKERS')).toBe('kafka:9092');
      expect(env.get('CASSANDRA_CONTACT_POINTS')).toBe('cassandra:9042');
      expect(new URL(interpolate(env.get('DATABASE_URL') ?? '')).host).toBe('postgres:5432');
      expect(new URL(interpolate(env.get('DATABASE_URL') ?? '')).password).not.toBe('');
      // token auth is on in Compose, and the admin token has no default: Compose refuses to start without it
      expect(env.get('AUTH_MODE')).toBe('token');
      expect(env.get('AUTH_ADMIN_TOKEN')).toMatch(/^\$\{AUTH_ADMIN_TOKEN:\?[^}]*\}$/);
    },
  );

  it('runs the API and the processors as separate roles of one image', () => {
    expect(environment('backend').get('APP_ROLE')).toBe('api');
    expect(environment('processor').get('APP_ROLE')).toBe('processor');
    expect(service('processor').build).toEqual(service('backend').build);
    expect(service('backend').build).toMatchObject({
      context: '..',
      dockerfile: 'docker/backend.Dockerfile',
    });
  });

  it('lets the processor scale: no published port, no fixed container name', () => {
    expect(publishedPorts('processor').filter(([host]) => host !== undefined)).toEqual([]);
    expect(service('processor').container_name).toBeUndefined();
  });

  it('publishes the backend on 3001 and the frontend on 3000', () => {
    expect(publishedPorts('backend')).toContainEqual(['3001', 3001]);
    expect(publishedPorts('frontend')).toContainEqual(['3000', 3000]);
    expect(service('backend').healthcheck?.test?.length ?? 0).toBeGreaterThan(0);
  });

  it('points the frontend at the backend service and starts it once the backend is healthy', () => {
    expect(service('frontend').build).toMatchObject({
      context: '..',
      dockerfile: 'docker/frontend.Dockerfile',
    });
    expect(environment('frontend').get('BACKEND_URL')).toBe('http://backend:3001');
    expect(dependencies('frontend').get('backend')).toBe('service_healthy');
  });
});

describe.each(['docker/backend.Dockerfile', 'docker/frontend.Dockerfile'])('%s', (dockerfile) => {
  const instructions = dockerfileInstructions(dockerfile);
  const args = (keyword: string) => instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

  it('is multi-stage and ends as a non-root user', () => {
    expect(args('FROM').length).toBeGreaterThan(1);
    const user = args('USER').at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('exposes a port, checks its health and has a command', () => {
    expect(args('EXPOSE')).not.toHaveLength(0);
    expect(args('HEALTHCHECK')).not.toHaveLength(0);
    expect(args('CMD')).not.toHaveLength(0);
  });

  it('copies every workspace manifest before npm ci (the lockfile covers them all)', () => {
    const rootManifest = z
      .object({ workspaces: z.array(z.string()) })
      .parse(JSON.parse(read('package.json')));
    const firstCi = instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(firstCi).toBeGreaterThan(0);
    const copied = instructions
      .slice(0, firstCi)
      .filter((i) => i.keyword === 'COPY')
      .map((i) => i.args);
    for (const workspace of rootManifest.workspaces) {
      expect([workspace, copied.some((line) => line.includes(`${workspace}/package.json`))]).toEqual([
        workspace,
        true,
      ]);
    }
  });

  it('keeps node_modules and build output out of its build context', () => {
    const ignored = read(`${dockerfile}.dockerignore`)
      .split(/\r?\n/)
      .map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '**/.next', '.git']));
  });
});

it('ships the CQL migrations the backend reads at run time', () => {
  const copies = dockerfileInstructions('docker/backend.Dockerfile').filter((i) => i.keyword === 'COPY');
  expect(copies.map((i) => i.args)).toContainEqual(expect.stringMatching(/^backend\/src\/database\/cql\/? /));
});
