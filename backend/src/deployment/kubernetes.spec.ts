import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { Script } from 'node:vm';
import { Logger } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { LIVE_SOCKET_PATH } from '@userstream/contracts';
import YAML from 'yaml';
import { z } from 'zod';
import { AppConfig } from '#src/config/app-config.js';
import { parseEnv } from '#src/config/config.schema.js';
import { originRefusal, type RequestPolicy } from '#src/common/request-guard.js';
import { HealthController } from '#src/health/health.controller.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { ProcessorHttpServer } from '#src/processing/processor-http.server.js';
import { ProcessorStatus } from '#src/processing/processor-status.js';

/**
 * deploy/kubernetes cannot be applied here (no cluster, no kubectl), so this checks what would go wrong first:
 * every file listed and parsed, names and labels that meet (selectors, Services, the ConfigMap and the Secret),
 * settings the backend accepts and documents in `.env.example`, ports that match, and probes on paths the
 * backend really serves, with a Host header the API answers to.
 */

const dir = 'deploy/kubernetes';
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
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined) {
      vars.set(match[1], match[2] ?? '');
    }
  }
  return vars;
}

const Labels = z.record(z.string(), z.string());
const Port = z.union([z.number(), z.string()]);
const HttpGet = z.object({
  path: z.string(),
  port: Port,
  httpHeaders: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});
const Probe = z.object({ httpGet: HttpGet });
const Container = z.object({
  name: z.string(),
  image: z.string(),
  command: z.array(z.string()).optional(),
  env: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  envFrom: z
    .array(
      z.object({
        configMapRef: z.object({ name: z.string() }).optional(),
        secretRef: z.object({ name: z.string() }).optional(),
      }),
    )
    .optional(),
  ports: z.array(z.object({ name: z.string(), containerPort: z.number() })).optional(),
  startupProbe: Probe.optional(),
  livenessProbe: Probe.optional(),
  readinessProbe: Probe.optional(),
  resources: z.object({
    requests: z.object({ cpu: z.string(), memory: z.string() }),
    limits: z.object({ memory: z.string() }),
  }),
  securityContext: z.object({
    allowPrivilegeEscalation: z.literal(false),
    capabilities: z.object({ drop: z.array(z.string()) }),
    readOnlyRootFilesystem: z.boolean().optional(),
  }),
});
type Container = z.infer<typeof Container>;
const Metadata = z.object({ name: z.string(), labels: Labels.optional() });
const Deployment = z.object({
  kind: z.literal('Deployment'),
  metadata: Metadata,
  spec: z.object({
    replicas: z.number(),
    selector: z.object({ matchLabels: Labels }),
    template: z.object({
      metadata: z.object({ labels: Labels }),
      spec: z.object({
        securityContext: z.object({ runAsNonRoot: z.literal(true), runAsUser: z.number() }),
        initContainers: z.array(Container).optional(),
        containers: z.array(Container),
      }),
    }),
  }),
});
type Deployment = z.infer<typeof Deployment>;
const Service = z.object({
  kind: z.literal('Service'),
  metadata: Metadata,
  spec: z.object({
    clusterIP: z.string().optional(),
    selector: Labels,
    ports: z.array(z.object({ name: z.string(), port: z.number(), targetPort: Port })),
  }),
});
type Service = z.infer<typeof Service>;
const ConfigMap = z.object({
  kind: z.literal('ConfigMap'),
  metadata: Metadata,
  data: z.record(z.string(), z.string()),
});
const PodDisruptionBudget = z.object({
  kind: z.literal('PodDisruptionBudget'),
  metadata: Metadata,
  spec: z.object({ maxUnavailable: z.number(), selector: z.object({ matchLabels: Labels }) }),
});
const IngressBackend = z.object({
  service: z.object({ name: z.string(), port: z.object({ name: z.string() }) }),
});
const Ingress = z.object({
  kind: z.literal('Ingress'),
  metadata: Metadata,
  spec: z.object({
    tls: z.array(z.object({ hosts: z.array(z.string()), secretName: z.string() })),
    rules: z.array(
      z.object({
        host: z.string(),
        http: z.object({
          paths: z.array(z.object({ path: z.string(), pathType: z.string(), backend: IngressBackend })),
        }),
      }),
    ),
  }),
});
const Namespace = z.object({ kind: z.literal('Namespace'), metadata: Metadata });
const Manifest = z.discriminatedUnion('kind', [
  Deployment,
  Service,
  ConfigMap,
  PodDisruptionBudget,
  Ingress,
  Namespace,
]);
type Manifest = z.infer<typeof Manifest>;

const Kustomization = z.object({
  kind: z.literal('Kustomization'),
  namespace: z.string(),
  resources: z.array(z.string()),
  secretGenerator: z.array(z.object({ name: z.string(), envs: z.array(z.string()) })),
  images: z.array(z.object({ name: z.string(), newName: z.string(), newTag: z.string() })),
});

const kustomization = Kustomization.parse(YAML.parse(read(`${dir}/kustomization.yaml`)));
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  YAML.parseAllDocuments(read(`${dir}/${file}`)).map((doc) => {
    if (doc.errors.length > 0) {
      throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    return Manifest.parse(doc.toJS());
  }),
);
const envExample = parseDotenv(read('.env.example'));
const secretExample = parseDotenv(read(`${dir}/secret.env.example`));

function find<K extends Manifest['kind']>(kind: K, name: string): Extract<Manifest, { kind: K }> {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) {
    throw new Error(`no ${kind} ${name} in ${dir}`);
  }
  return found as Extract<Manifest, { kind: K }>;
}

const config = find('ConfigMap', 'userstream-config').data;
const api = find('Deployment', 'userstream-api');
const processor = find('Deployment', 'userstream-processor');
const frontend = find('Deployment', 'userstream-frontend');
const backendDeployments = [api, processor];
const container = (deployment: Deployment): Container => {
  const [only, ...others] = deployment.spec.template.spec.containers;
  if (!only || others.length > 0) {
    throw new Error(`${deployment.metadata.name}: one container expected`);
  }
  return only;
};
const envOf = (c: Container) => new Map((c.env ?? []).map(({ name, value }) => [name, value]));
const probes = (c: Container) =>
  [c.startupProbe, c.livenessProbe, c.readinessProbe].flatMap((probe) => (probe ? [probe.httpGet] : []));

/** A port nothing listens on right now, on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A named port resolved to its number in the container. */
function containerPort(c: Container, port: string | number): number | undefined {
  return typeof port === 'number' ? port : c.ports?.find((p) => p.name === port)?.containerPort;
}

/** What the API would run with: the ConfigMap, the Secret as an operator fills it in, the role. */
const filledSecrets = {
  DATABASE_URL: 'postgres://userstream:s3cret@postgres.databases.svc:5432/userstream',
  CURSOR_SECRET: 'a'.repeat(64),
  AUTH_ADMIN_TOKEN: 'b'.repeat(64),
};
const runtimeEnv = (deployment: Deployment) => ({
  ...config,
  ...filledSecrets,
  ...Object.fromEntries(envOf(container(deployment))),
});
const apiConfig = new AppConfig(parseEnv(runtimeEnv(api)));
const policy: RequestPolicy = {
  allowedHosts: apiConfig.http.allowedHosts,
  corsOrigins: apiConfig.http.corsOrigins,
};
const ingress = find('Ingress', 'userstream');
const publicHost = ingress.spec.rules[0]?.host ?? '';

describe('deploy/kubernetes', () => {
  it('lists every manifest in kustomization.yaml, each one parsing', () => {
    const files = [
      'namespace.yaml',
      'config.yaml',
      'api.yaml',
      'processor.yaml',
      'frontend.yaml',
      'ingress.yaml',
    ];
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(manifests.length).toBeGreaterThanOrEqual(files.length);
    expect(find('Namespace', kustomization.namespace).metadata.name).toBe(kustomization.namespace);
  });

  it('keeps secrets out of the ConfigMap and out of git, and the example cannot be deployed as it is', () => {
    for (const key of ['DATABASE_URL', 'CURSOR_SECRET', 'AUTH_ADMIN_TOKEN']) {
      expect([key, key in config, secretExample.has(key)]).toEqual([key, false, true]);
    }
    expect(kustomization.secretGenerator).toEqual([{ name: 'userstream-secrets', envs: ['secret.env'] }]);
    expect(read('.gitignore').split(/\r?\n/)).toContain(`${dir}/secret.env`);
    // an empty CURSOR_SECRET stops boot, so nobody runs on a value copied from the repository
    expect(() => parseEnv({ ...config, ...Object.fromEntries(secretExample), APP_ROLE: 'api' })).toThrow(
      /CURSOR_SECRET/,
    );
  });

  it.each(['api', 'processor'])('the %s role boots with the ConfigMap and a filled-in Secret', (role) => {
    const deployment = role === 'api' ? api : processor;
    const env = parseEnv(runtimeEnv(deployment));
    expect(env.APP_ROLE).toBe(role);
    expect(env.NODE_ENV).toBe('production');
    expect(env.AUTH_MODE).toBe('token');
    // probed on the pod's address, not on loopback
    expect(env.HOST).toBe('0.0.0.0');
  });

  it.each(backendDeployments.map((d) => [d.metadata.name, d] as const))(
    '%s sets only variables that .env.example declares, from the ConfigMap and the Secret',
    (_name, deployment) => {
      const c = container(deployment);
      const keys = [...Object.keys(config), ...secretExample.keys(), ...envOf(c).keys()];
      expect(keys.filter((key) => !envExample.has(key))).toEqual([]);
      expect(c.envFrom).toEqual([
        { configMapRef: { name: 'userstream-config' } },
        { secretRef: { name: 'userstream-secrets' } },
      ]);
    },
  );

  it('runs the API and the processors as two roles of the backend image', () => {
    expect(envOf(container(api)).get('APP_ROLE')).toBe('api');
    expect(envOf(container(processor)).get('APP_ROLE')).toBe('processor');
    expect(container(api).image).toBe('userstream-backend');
    expect(container(processor).image).toBe('userstream-backend');
    expect(container(frontend).image).toBe('userstream-frontend');
    expect(kustomization.images.map((image) => image.name).sort()).toEqual([
      'userstream-backend',
      'userstream-frontend',
    ]);
  });

  it.each(manifests.filter((m) => m.kind === 'Deployment').map((d) => [d.metadata.name, d] as const))(
    '%s selects its own pods and runs them as a non-root user with resources set',
    (_name, deployment) => {
      const { matchLabels } = deployment.spec.selector;
      expect(deployment.spec.template.metadata.labels).toMatchObject(matchLabels);
      // the images' user is `node` (uid 1000): runAsNonRoot needs a numeric id to check
      expect(deployment.spec.template.spec.securityContext.runAsUser).toBe(1000);
      for (const c of [
        ...deployment.spec.template.spec.containers,
        ...(deployment.spec.template.spec.initContainers ?? []),
      ]) {
        expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
        expect(c.resources.limits.memory).toMatch(/^\d+(Mi|Gi)$/);
      }
    },
  );

  it.each(manifests.filter((m) => m.kind === 'Service').map((s) => [s.metadata.name, s] as const))(
    'Service %s reaches a port its pods open',
    (_name, svc) => {
      const targets = manifests.filter(
        (m): m is Deployment =>
          m.kind === 'Deployment' &&
          Object.entries(svc.spec.selector).every(([k, v]) => m.spec.template.metadata.labels[k] === v),
      );
      expect(targets).toHaveLength(1);
      const c = container(targets[0]!);
      for (const port of svc.spec.ports) {
        expect([port.name, containerPort(c, port.targetPort)]).toEqual([port.name, port.port]);
      }
    },
  );

  it('opens the ports the backend listens on', () => {
    expect(containerPort(container(api), 'http')).toBe(apiConfig.http.port);
    const processorConfig = new AppConfig(parseEnv(runtimeEnv(processor)));
    expect(containerPort(container(processor), 'metrics')).toBe(processorConfig.processor.httpPort);
  });

  it('probes the API on routes of its health controller, with a Host header it answers to', () => {
    const base = Reflect.getMetadata(PATH_METADATA, HealthController) as string;
    // bootstrap.ts puts every route under the global prefix /api
    const { constructor: _class, ...handlers } = Object.getOwnPropertyDescriptors(HealthController.prototype);
    const routes = Object.values(handlers)
      .map(({ value }) =>
        typeof value === 'function' ? (Reflect.getMetadata(PATH_METADATA, value) as unknown) : undefined,
      )
      .filter((path): path is string => typeof path === 'string')
      .map((path) => `/api/${base}${path === '/' ? '' : `/${path}`}`);
    const c = container(api);
    const used = probes(c);
    expect(used.map((probe) => probe.path).sort()).toEqual([
      '/api/health/live',
      '/api/health/live',
      '/api/health/ready',
    ]);
    for (const probe of used) {
      expect(routes).toContain(probe.path);
      expect(containerPort(c, probe.port)).toBe(apiConfig.http.port);
      const host = probe.httpHeaders?.find((h) => h.name === 'Host')?.value;
      expect(host).toBeDefined();
      expect(originRefusal({ host: `${host}:${apiConfig.http.port}` }, policy)).toBeNull();
    }
    // without it the kubelet names the pod's address, which the API refuses
    expect(originRefusal({ host: `10.1.2.3:${apiConfig.http.port}` }, policy)).not.toBeNull();
  });

  describe('processor probes, against the real processor HTTP server', () => {
    let server: ProcessorHttpServer;
    let base: string;

    beforeAll(async () => {
      // the server logs its address at start: not wanted in the test output
      Logger.overrideLogger(false);
      const port = await freePort();
      const processorConfig = new AppConfig(
        parseEnv({ ...runtimeEnv(processor), HOST: '127.0.0.1', PROCESSOR_HTTP_PORT: String(port) }),
      );
      // a consumer that has joined its group and no write yet: ready
      const status = new ProcessorStatus();
      status.watchConsumer({ joined: () => true, ownedPartitions: () => [] });
      server = new ProcessorHttpServer(processorConfig, status, new MetricsService());
      await server.onApplicationBootstrap();
      base = `http://127.0.0.1:${port}`;
    });

    afterAll(() => server.onApplicationShutdown());

    it('probes paths the processor serves, on its metrics port', async () => {
      const c = container(processor);
      const used = probes(c);
      expect(used.map((probe) => probe.path).sort()).toEqual([
        '/health/live',
        '/health/live',
        '/health/ready',
      ]);
      for (const probe of used) {
        expect(containerPort(c, probe.port)).toBe(Number(config['PROCESSOR_HTTP_PORT']));
        const res = await fetch(`${base}${probe.path}`);
        expect([probe.path, res.status]).toEqual([probe.path, 200]);
      }
    });
  });

  it('starts the processors once the API (which migrates first) is ready, through its Service', () => {
    const [wait, ...others] = processor.spec.template.spec.initContainers ?? [];
    expect(others).toEqual([]);
    const script = wait?.command?.at(-1) ?? '';
    expect(() => new Script(script)).not.toThrow();
    const url = new URL(/'(http:[^']+)'/.exec(script)?.[1] ?? '');
    const svc = find('Service', 'userstream-api');
    expect(url.hostname).toBe(svc.metadata.name);
    expect(Number(url.port)).toBe(svc.spec.ports[0]?.port);
    expect(url.pathname).toBe('/api/health/ready');
    expect(originRefusal({ host: url.host }, policy)).toBeNull();
  });

  it('runs at most as many processors as the raw topic has partitions, one drained at a time', () => {
    expect(processor.spec.replicas).toBeGreaterThan(1);
    expect(processor.spec.replicas).toBeLessThanOrEqual(Number(config['KAFKA_TOPIC_PARTITIONS']));
    const pdb = find('PodDisruptionBudget', 'userstream-processor');
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(processor.spec.selector.matchLabels);
    // the schemas are created by one API at the first start (two on an empty keyspace would race)
    expect(api.spec.replicas).toBe(1);
  });

  it('points the dashboard at the API Service, and browsers at the public host', () => {
    const env = envOf(container(frontend));
    const backend = new URL(env.get('BACKEND_URL') ?? '');
    const svc = find('Service', 'userstream-api');
    expect(backend.hostname).toBe(svc.metadata.name);
    expect(Number(backend.port)).toBe(svc.spec.ports[0]?.port);
    // the dashboard's /api proxy names the API by its Service: a host the API must answer to
    expect(originRefusal({ host: backend.host }, policy)).toBeNull();
    expect(env.get('BACKEND_PUBLIC_URL')).toBe(`https://${publicHost}`);
    expect(Number(env.get('FRONTEND_PORT'))).toBe(containerPort(container(frontend), 'http'));
  });

  it('routes the public host to the dashboard and the live socket to the API, over TLS', () => {
    expect(ingress.spec.tls[0]?.hosts).toEqual([publicHost]);
    const paths = ingress.spec.rules[0]?.http.paths ?? [];
    const route = (path: string) => paths.find((p) => p.path === path)?.backend.service;
    expect(route(LIVE_SOCKET_PATH)).toEqual({ name: 'userstream-api', port: { name: 'http' } });
    expect(route('/')).toEqual({ name: 'userstream-frontend', port: { name: 'http' } });
    for (const p of paths) {
      const svc = find('Service', p.backend.service.name);
      expect(svc.spec.ports.map((port) => port.name)).toContain(p.backend.service.port.name);
    }
    // browsers open the socket with the public host and origin: the API must accept both
    expect(originRefusal({ host: publicHost, origin: `https://${publicHost}` }, policy)).toBeNull();
  });
});
