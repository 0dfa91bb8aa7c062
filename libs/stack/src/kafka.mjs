// Kafka in KRaft mode, each node a broker and a controller in one JVM, static quorum: one node, or a cluster of
// N nodes on consecutive port pairs (9092/9093, 9094/9095, ...).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { probeKafka } from './drivers.mjs';
import { StackError } from './errors.mjs';
import { ensureLib } from './fetch.mjs';
import { instancePort } from './instance.mjs';
import { tailFile } from './logs.mjs';
import { logFile, paths } from './paths.mjs';
import { runCommand } from './procs.mjs';

export const KAFKA_HOST = '127.0.0.1';
export const KAFKA_PORT = 9092;
export const CONTROLLER_PORT = 9093;
/** This instance's client port of node `node` (the test stack's are 10,000 higher). */
export const kafkaPort = (node = 1) => instancePort(KAFKA_PORT + 2 * (node - 1));
const controllerPort = (node = 1) => instancePort(CONTROLLER_PORT + 2 * (node - 1));
const MAIN_CLASS = 'kafka.Kafka';

/** Client addresses of every broker of an N-node stack (KAFKA_BROKERS). */
export const kafkaBrokers = (nodes = 1) =>
  Array.from({ length: nodes }, (_, i) => `${KAFKA_HOST}:${kafkaPort(i + 1)}`);

export function renderServerProperties({ dataDir, host = KAFKA_HOST, node = 1, nodes = 1 }) {
  const voters = Array.from({ length: nodes }, (_, i) => `${i + 1}@${host}:${controllerPort(i + 1)}`);
  // internal topics replicated as a cluster's own would be: three copies where there are three brokers
  const replicas = Math.min(3, nodes);
  const minIsr = Math.min(2, replicas);
  const props = {
    'process.roles': 'broker,controller',
    'node.id': node,
    'controller.quorum.voters': voters.join(','),
    listeners: `PLAINTEXT://${host}:${kafkaPort(node)},CONTROLLER://${host}:${controllerPort(node)}`,
    'advertised.listeners': `PLAINTEXT://${host}:${kafkaPort(node)}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': dataDir,
    'num.partitions': 1,
    'default.replication.factor': replicas,
    'offsets.topic.replication.factor': replicas,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': minIsr,
    'share.coordinator.state.topic.replication.factor': replicas,
    'share.coordinator.state.topic.min.isr': minIsr,
    'group.initial.rebalance.delay.ms': 0,
    // One partition for the internal topics instead of 50: the first consumer group starts fast.
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.num.partitions': 1,
    'num.network.threads': 2,
    'num.io.threads': 2,
    // The log cleaner's default 128 MiB buffer is wasted on a dev broker.
    'log.cleaner.dedupe.buffer.size': 2097152,
  };
  const lines = Object.entries(props).map(([k, v]) => `${k}=${v}`);
  return `# Written by libs/stack on every start; edits are lost.\n${lines.join('\n')}\n`;
}

export function renderLog4j2() {
  return [
    '# Written by libs/stack: INFO to stdout, which the runner redirects to .run/logs/kafka.log.',
    'rootLogger.level=INFO',
    'rootLogger.appenderRef.out.ref=OUT',
    'appender.out.type=Console',
    'appender.out.name=OUT',
    'appender.out.layout.type=PatternLayout',
    'appender.out.layout.pattern=[%d] %p %m (%c)%n',
    '',
  ].join('\n');
}

/** A Kafka cluster id: 16 random bytes in URL-safe base64 (22 chars), never starting with '-' (the CLI would read an option). */
export function generateClusterId(random = crypto.randomBytes) {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) {
      return id;
    }
  }
}

export function kafkaJvmArgs({ lib, dir }) {
  return [
    '-Xms512m',
    '-Xmx512m',
    // KAFKA_JVM_PERFORMANCE_OPTS of bin/kafka-run-class.sh
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${path.join(dir, 'log4j2.properties')}`,
    `-Dkafka.logs.dir=${path.join(dir, 'logs')}`,
    `-Djava.io.tmpdir=${path.join(dir, 'tmp')}`,
    '-cp',
    path.join(lib, '*'),
  ];
}

/** One id for every node of a cluster, kept beside their folders. */
function clusterId(dir) {
  const file = path.join(dir, 'cluster-id');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, generateClusterId() + '\n');
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** Formats the KRaft storage once; StorageTool's --ignore-formatted keeps it idempotent anyway. */
async function formatStorage({ java, jvmArgs, name, dir, idDir, dataDir, log }) {
  if (fs.existsSync(path.join(dataDir, 'meta.properties'))) {
    return;
  }
  const started = Date.now();
  const args = [...jvmArgs, 'kafka.tools.StorageTool', 'format', '-t', clusterId(idDir)];
  args.push('-c', path.join(dir, 'server.properties'), '--ignore-formatted');
  const run = await runCommand(java, args);
  const formatLog = logFile(`${name}-format`);
  fs.writeFileSync(formatLog, run.output);
  if (run.status !== 0) {
    throw new StackError(
      `${name}: formatting the storage failed; see ${formatLog}\n${tailFile(formatLog, 40)}`,
    );
  }
  log(`${name}: storage formatted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Node `node` of an N-node stack. One node keeps the names and folders of before (`kafka`, .run/kafka); the
 * nodes of a cluster are `kafka-1` ... `kafka-N` under .run/cluster.
 */
export function kafkaService(versions, { node = 1, nodes = 1 } = {}) {
  const single = nodes === 1;
  const name = single ? 'kafka' : `kafka-${node}`;
  const dir = single ? paths.kafka : path.join(paths.cluster, name);
  const dataDir = path.join(dir, 'data');
  return {
    name,
    kind: 'kafka',
    marker: MAIN_CLASS,
    host: KAFKA_HOST,
    port: kafkaPort(node),
    ports: [kafkaPort(node), controllerPort(node)],
    // a broker restarted into a loaded cluster (six JVMs and the pipeline on two cores) was seen taking 90 s to
    // start and catch up
    timeoutSeconds: single ? 60 : 180,
    dataDirs: [dir],
    async prepare({ java, log }) {
      const artifact = { groupPath: 'org/apache/kafka', id: 'kafka_2.13' };
      const lib = await ensureLib({
        name: 'kafka',
        version: versions.kafka,
        property: 'kafka.version',
        artifact,
        javaHome: java.home,
        log,
      });
      for (const sub of ['data', 'logs', 'tmp']) {
        fs.mkdirSync(path.join(dir, sub), { recursive: true });
      }
      const properties = renderServerProperties({ dataDir, node, nodes });
      fs.writeFileSync(path.join(dir, 'server.properties'), properties);
      fs.writeFileSync(path.join(dir, 'log4j2.properties'), renderLog4j2());
      const jvmArgs = kafkaJvmArgs({ lib: lib.dir, dir });
      const idDir = single ? dir : paths.cluster;
      await formatStorage({ java: java.java, jvmArgs, name, dir, idDir, dataDir, log });
      return {
        command: java.java,
        args: [...jvmArgs, MAIN_CLASS, path.join(dir, 'server.properties')],
        cwd: dir,
      };
    },
    /** Ready = the broker answers kafkajs's admin and its metadata lists this broker with a controller elected. */
    async probe() {
      const meta = await probeKafka({ host: KAFKA_HOST, port: kafkaPort(node), timeoutMs: 2000 });
      if (!meta.brokers.some((b) => b.nodeId === node)) {
        throw new Error('broker not registered yet');
      }
      if (meta.controller === null) {
        throw new Error('no active controller yet');
      }
      const brokers = single ? '' : `, ${meta.brokers.length} of ${nodes} brokers registered`;
      return `cluster ${meta.clusterId}${brokers}`;
    },
  };
}
