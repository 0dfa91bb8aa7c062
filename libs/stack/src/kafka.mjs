// Single-node Kafka in KRaft mode (broker and controller in one JVM), static quorum.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors.mjs';
import { ensureLib } from './fetch.mjs';
import { instancePort } from './instance.mjs';
import { probeKafka } from './kafka-protocol.mjs';
import { tailFile } from './logs.mjs';
import { logFile, paths } from './paths.mjs';
import { runCommand } from './procs.mjs';

export const KAFKA_HOST = '127.0.0.1';
export const KAFKA_PORT = 9092;
export const CONTROLLER_PORT = 9093;
/** This instance's ports (the test stack's are 10,000 higher). */
export const kafkaPort = () => instancePort(KAFKA_PORT);
const controllerPort = () => instancePort(CONTROLLER_PORT);
const NODE_ID = 1;
const MAIN_CLASS = 'kafka.Kafka';

export function renderServerProperties({
  dataDir,
  host = KAFKA_HOST,
  port = kafkaPort(),
  controllerPort = instancePort(CONTROLLER_PORT),
}) {
  const props = {
    'process.roles': 'broker,controller',
    'node.id': NODE_ID,
    'controller.quorum.voters': `${NODE_ID}@${host}:${controllerPort}`,
    listeners: `PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${host}:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': dataDir,
    'num.partitions': 1,
    'default.replication.factor': 1,
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
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
    if (!id.startsWith('-')) return id;
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

function clusterId(dir) {
  const file = path.join(dir, 'cluster-id');
  if (!fs.existsSync(file)) fs.writeFileSync(file, generateClusterId() + '\n');
  return fs.readFileSync(file, 'utf8').trim();
}

/** Formats the KRaft storage once; StorageTool's --ignore-formatted keeps it idempotent anyway. */
async function formatStorage({ java, jvmArgs, dir, dataDir, log }) {
  if (fs.existsSync(path.join(dataDir, 'meta.properties'))) return;
  const started = Date.now();
  const args = [...jvmArgs, 'kafka.tools.StorageTool', 'format', '-t', clusterId(dir)];
  args.push('-c', path.join(dir, 'server.properties'), '--ignore-formatted');
  const run = await runCommand(java, args);
  const formatLog = logFile('kafka-format');
  fs.writeFileSync(formatLog, run.output);
  if (run.status !== 0) {
    throw new StackError(
      `kafka: formatting the storage failed; see ${formatLog}\n${tailFile(formatLog, 40)}`,
    );
  }
  log(`kafka: storage formatted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export function kafkaService(versions) {
  const dir = paths.kafka;
  const dataDir = path.join(dir, 'data');
  return {
    name: 'kafka',
    marker: MAIN_CLASS,
    port: kafkaPort(),
    ports: [kafkaPort(), controllerPort()],
    timeoutSeconds: 60,
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
      for (const sub of ['data', 'logs', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
      fs.writeFileSync(path.join(dir, 'server.properties'), renderServerProperties({ dataDir }));
      fs.writeFileSync(path.join(dir, 'log4j2.properties'), renderLog4j2());
      const jvmArgs = kafkaJvmArgs({ lib: lib.dir, dir });
      await formatStorage({ java: java.java, jvmArgs, dir, dataDir, log });
      return {
        command: java.java,
        args: [...jvmArgs, MAIN_CLASS, path.join(dir, 'server.properties')],
        cwd: dir,
      };
    },
    /** Ready = the broker answers ApiVersions and Metadata lists itself with a controller elected. */
    async probe() {
      const meta = await probeKafka({ host: KAFKA_HOST, port: kafkaPort(), timeoutMs: 2000 });
      if (!meta.brokers.some((b) => b.nodeId === NODE_ID)) throw new Error('broker not registered yet');
      if (meta.controllerId < 0) throw new Error('no active controller yet');
      return `cluster ${meta.clusterId}`;
    },
  };
}
