import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';

/**
 * docker/compose.yml and the two Dockerfiles cannot be run here (no Docker engine in tests), so this checks
 * their structure instead: the services, their health checks and volumes, the start order, that the
 * backend's environment in Compose stays in step with `.env.example`, and that the profile `cluster` with
 * docker/cluster.env makes one consistent 3-broker quorum and 3-node ring that the backend reaches in full.
 */

const repoFile = (relative: string) => new URL(`../../../${relative}`, import.meta.url);
const read = (relative: string) => readFileSync(repoFile(relative), 'utf8');

/** KEY=VALUE lines of a dotenv file; comments and blank lines are skipped. */
function parseDotenv(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) {
      continue;
    }
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match?.[1] !== undefined) {
      vars.set(match[1], (match[2] ?? '').replace(/^(['"])(.*)\1$/, '$2'));
    }
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
  profiles: z.array(z.string()).nullish(),
  mem_limit: z.union([z.string(), z.number()]).nullish(),
  environment: z.union([z.record(z.string(), scalar), z.array(z.string())]).nullish(),
  depends_on: z
    .union([
      z.array(z.string()),
      z.record(z.string(), z.object({ condition: z.string().optional(), required: z.boolean().optional() })),
    ])
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
const clusterEnvFile = parseDotenv(read('docker/cluster.env'));
/** `--env-file docker/.env --env-file docker/cluster.env`: the later file wins. */
const clusterEnv = new Map([...dockerEnv, ...clusterEnvFile]);
const envExample = parseDotenv(read('.env.example'));

/**
 * Resolves `${VAR}`, `${VAR:-default}` and `${VAR:?error}` the way Compose would with only `vars` set (by
 * default docker/.env, which Compose reads when no --env-file is given).
 */
function interpolate(value: string, vars: ReadonlyMap<string, string> = dockerEnv): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g,
    (_match, name: string, op?: string, arg?: string) => {
      const set = vars.get(name);
      if (op?.endsWith('-')) {
        return set !== undefined && (set !== '' || op === '-') ? set : (arg ?? '');
      }
      return set ?? '';
    },
  );
}

function service(name: string): Service {
  const found = compose.services[name];
  if (!found) {
    throw new Error(`docker/compose.yml has no service "${name}"`);
  }
  return found;
}

/** A service's environment as written (before interpolation). */
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

/** A service's environment as Compose would hand it to the container with `vars`. */
function resolvedEnvironment(name: string, vars: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...environment(name)].map(([key, value]) => [key, interpolate(value, vars)]));
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
    if (typeof port === 'number') {
      return [undefined, port];
    }
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

/** Services that run without any profile: the default one-node stack. */
const defaultServices = Object.keys(compose.services).filter(
  (name) => (service(name).profiles ?? []).length === 0,
);

describe('docker/compose.yml', () => {
  it('uses the Compose specification (no version key) and runs six services by default', () => {
    expect(rawCompose).not.toHaveProperty('version');
    expect(defaultServices.sort()).toEqual(
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
    const env = resolvedEnvironment('kafka', dockerEnv);
    expect(env.get('KAFKA_PROCESS_ROLES')).toBe('broker,controller');
    expect(env.get('KAFKA_NODE_ID')).toBe('1');
    expect(env.get('KAFKA_CONTROLLER_QUORUM_VOTERS')).toBe('1@kafka:9093');
    expect(env.get('KAFKA_ADVERTISED_LISTENERS')).toContain('//kafka:9092');
    expect(env.get('KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR')).toBe('1');
    expect(env.get('KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR')).toBe('1');
    expect(publishedPorts('kafka').some(([host]) => host !== undefined)).toBe(true);
  });

  it.each(BACKEND_PROCESSES)('%s starts only once Kafka, Cassandra and PostgreSQL are healthy', (name) => {
    const deps = dependencies(name);
    for (const store of STORES) {
      expect([store, deps.get(store)]).toEqual([store, 'service_healthy']);
    }
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
      expect(interpolate(env.get('KAFKA_BROKERS') ?? '')).toBe('kafka:9092');
      expect(interpolate(env.get('CASSANDRA_CONTACT_POINTS') ?? '')).toBe('cassandra:9042');
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

  it("probes each backend process's readiness on a port it serves (the processor has no API)", () => {
    const probe = (name: string) => String(service(name).healthcheck?.test);
    expect(probe('backend')).toContain(`127.0.0.1:${environment('backend').get('PORT')}/api/health/ready`);
    expect(probe('processor')).toContain(
      `127.0.0.1:${environment('processor').get('PROCESSOR_HTTP_PORT')}/health/ready`,
    );
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

/** `1g`, `512m`, `1536M`: Compose's and the JVM's byte sizes. */
function bytes(size: string | number): number {
  if (typeof size === 'number') {
    return size;
  }
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(size.trim());
  if (!match) {
    throw new Error(`not a size: ${size}`);
  }
  const unit = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[
    (match[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'
  ];
  return Number(match[1]) * unit;
}

/** The `condition` and `required` of one `depends_on` entry, in its long form. */
function dependency(name: string, on: string): { condition?: string; required?: boolean } | undefined {
  const deps = service(name).depends_on;
  return deps && !Array.isArray(deps) ? deps[on] : undefined;
}

/** `INTERNAL://kafka-2:9092,HOST://...` -> the address behind one listener name. */
function listener(list: string | undefined, name: string): string | undefined {
  return (list ?? '')
    .split(',')
    .map((entry) => /^([A-Z_]+):\/\/(.*)$/.exec(entry.trim()))
    .find((match) => match?.[1] === name)?.[2];
}

const CLUSTER_SERVICES = ['kafka-2', 'kafka-3', 'cassandra-2', 'cassandra-3'];
const imageOf = (name: string) => (service(name).image ?? '').replace(/:.*$/, '');
const brokers = Object.keys(compose.services).filter((name) => imageOf(name) === 'apache/kafka');
const cassandraNodes = Object.keys(compose.services).filter((name) => imageOf(name) === 'cassandra');

describe('docker/compose.yml, profile cluster (with docker/cluster.env)', () => {
  it('adds two brokers and two Cassandra nodes under the profile, which cluster.env turns on', () => {
    const profiled = Object.keys(compose.services).filter((name) => service(name).profiles?.length);
    expect(profiled.sort()).toEqual([...CLUSTER_SERVICES].sort());
    for (const name of profiled) {
      expect([name, service(name).profiles]).toEqual([name, ['cluster']]);
    }
    expect(clusterEnvFile.get('COMPOSE_PROFILES')).toBe('cluster');
    expect(brokers.sort()).toEqual(['kafka', 'kafka-2', 'kafka-3']);
    expect(cassandraNodes.sort()).toEqual(['cassandra', 'cassandra-2', 'cassandra-3']);
  });

  it('documents the one command that starts it, in compose.yml and in cluster.env', () => {
    const command =
      'docker compose -f docker/compose.yml --env-file docker/.env --env-file docker/cluster.env ' +
      '--profile cluster up --build';
    expect(composeText).toContain(command);
    expect(read('docker/cluster.env')).toContain(command);
  });

  it('sets only variables that compose.yml reads', () => {
    const unused = [...clusterEnvFile.keys()].filter(
      (key) => !key.startsWith('COMPOSE_') && !composeText.includes(`\${${key}`),
    );
    expect(unused).toEqual([]);
  });

  it.each(CLUSTER_SERVICES)('%s runs the same image and version as the first node', (name) => {
    const first = name.startsWith('kafka') ? 'kafka' : 'cassandra';
    expect(service(name).image).toBe(service(first).image);
  });

  it('makes every broker a voter of one static quorum, with unique node ids and the same list on each', () => {
    const envs = brokers.map((name) => [name, resolvedEnvironment(name, clusterEnv)] as const);
    const ids = envs.map(([, env]) => env.get('KAFKA_NODE_ID'));
    expect(new Set(ids).size).toBe(brokers.length);
    const voters = new Set(envs.map(([, env]) => env.get('KAFKA_CONTROLLER_QUORUM_VOTERS')));
    expect(voters.size).toBe(1);
    const expected = envs.map(([name, env]) => {
      const controller = listener(env.get('KAFKA_LISTENERS'), 'CONTROLLER');
      return `${env.get('KAFKA_NODE_ID')}@${name}:${controller?.split(':').at(-1)}`;
    });
    expect([...voters][0]?.split(',').sort()).toEqual(expected.sort());
    for (const [name, env] of envs) {
      expect([name, env.get('KAFKA_PROCESS_ROLES')]).toEqual([name, 'broker,controller']);
      expect([name, env.get('CLUSTER_ID')]).toEqual([
        name,
        resolvedEnvironment('kafka', clusterEnv).get('CLUSTER_ID'),
      ]);
      expect([name, listener(env.get('KAFKA_ADVERTISED_LISTENERS'), 'INTERNAL')]).toEqual([
        name,
        `${name}:9092`,
      ]);
    }
  });

  it('starts the brokers together: a quorum of three elects no leader before two of them answer', () => {
    for (const name of brokers) {
      const waitsFor = [...dependencies(name).keys()].filter((dep) => brokers.includes(dep));
      expect([name, waitsFor]).toEqual([name, []]);
    }
  });

  it("replicates Kafka's own topics three times, one broker may be lost", () => {
    for (const name of brokers) {
      const env = resolvedEnvironment(name, clusterEnv);
      for (const key of [
        'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
        'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
        'KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR',
        'KAFKA_DEFAULT_REPLICATION_FACTOR',
      ]) {
        expect([name, key, env.get(key)]).toEqual([name, key, '3']);
      }
      expect([name, env.get('KAFKA_TRANSACTION_STATE_LOG_MIN_ISR')]).toEqual([name, '2']);
      expect([name, env.get('KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR')]).toEqual([name, '2']);
    }
  });

  it('gives each broker a host listener of its own, published on that port', () => {
    const hostAddresses = brokers.map((name) =>
      listener(resolvedEnvironment(name, clusterEnv).get('KAFKA_ADVERTISED_LISTENERS'), 'HOST'),
    );
    expect(hostAddresses).toEqual(['127.0.0.1:9092', '127.0.0.1:9094', '127.0.0.1:9096']);
    for (const [index, name] of brokers.entries()) {
      const hostPort = hostAddresses[index]?.split(':')[1];
      // the HOST listener (container port 29092) is published on the port it advertises
      expect(publishedPorts(name)).toContainEqual([hostPort, 29092]);
    }
  });

  it('joins the Cassandra nodes to the first one, one after another', () => {
    expect(environment('cassandra').get('CASSANDRA_SEEDS')).toBeUndefined();
    expect(environment('cassandra-2').get('CASSANDRA_SEEDS')).toBe('cassandra');
    expect(environment('cassandra-3').get('CASSANDRA_SEEDS')).toBe('cassandra');
    expect(dependency('cassandra-2', 'cassandra')?.condition).toBe('service_healthy');
    expect(dependency('cassandra-3', 'cassandra-2')?.condition).toBe('service_healthy');
    for (const name of cassandraNodes) {
      expect([name, environment(name).get('MAX_HEAP_SIZE')]).toEqual([
        name,
        environment('cassandra').get('MAX_HEAP_SIZE'),
      ]);
    }
  });

  it.each(CLUSTER_SERVICES)('%s checks its health with its own client, as the first node does', (name) => {
    const first = name.startsWith('kafka') ? 'kafka' : 'cassandra';
    expect(service(name).healthcheck).toEqual(service(first).healthcheck);
    expect(service(name).healthcheck?.test?.length ?? 0).toBeGreaterThan(0);
  });

  it('keeps each node in a named volume of its own', () => {
    const volumes = [...brokers, ...cassandraNodes].flatMap((name) => namedVolumes(name));
    expect(volumes).toHaveLength(brokers.length + cassandraNodes.length);
    expect(new Set(volumes).size).toBe(volumes.length);
    expect(Object.keys(compose.volumes ?? {})).toEqual(expect.arrayContaining(volumes));
  });

  it('caps the memory of every node above its heap, within what a 16 GB machine can spare', () => {
    let total = 0;
    for (const name of [...brokers, ...cassandraNodes]) {
      const limit = service(name).mem_limit;
      expect([name, limit]).toEqual([name, expect.anything()]);
      const env = environment(name);
      const heap = name.startsWith('kafka')
        ? (/-Xmx(\S+)/.exec(env.get('KAFKA_HEAP_OPTS') ?? '')?.[1] ?? '')
        : (env.get('MAX_HEAP_SIZE') ?? '');
      expect([name, bytes(heap) < bytes(limit ?? 0)]).toEqual([name, true]);
      total += bytes(limit ?? 0);
    }
    expect(total).toBeLessThanOrEqual(12 * 2 ** 30);
  });

  it.each(BACKEND_PROCESSES)('%s bootstraps from every broker and every Cassandra node', (name) => {
    const env = resolvedEnvironment(name, clusterEnv);
    const internal = brokers.map((broker) =>
      listener(resolvedEnvironment(broker, clusterEnv).get('KAFKA_ADVERTISED_LISTENERS'), 'INTERNAL'),
    );
    expect(env.get('KAFKA_BROKERS')?.split(',').sort()).toEqual(internal.sort());
    expect(env.get('CASSANDRA_CONTACT_POINTS')?.split(',').sort()).toEqual(
      cassandraNodes.map((node) => `${node}:9042`).sort(),
    );
    // replication and consistency follow the cluster: min(3, brokers / nodes), local_quorum from 3 copies
    for (const key of [
      'KAFKA_REPLICATION_FACTOR',
      'KAFKA_MIN_INSYNC_REPLICAS',
      'CASSANDRA_REPLICATION_FACTOR',
      'CASSANDRA_WRITE_CONSISTENCY',
      'CASSANDRA_READ_CONSISTENCY',
    ]) {
      expect([key, env.get(key)]).toEqual([key, '']);
    }
  });

  it.each(BACKEND_PROCESSES)(
    '%s waits for every node of the profile when it is on, and for none when it is off',
    (name) => {
      for (const node of CLUSTER_SERVICES) {
        expect([node, dependency(name, node)]).toEqual([
          node,
          { condition: 'service_healthy', required: false },
        ]);
      }
    },
  );
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
