// Cassandra 5.0 run as plain JVMs (CassandraDaemon), no tarball scripts: one node on 127.0.0.1, or a ring of N
// nodes on 127.0.0.1 ... 127.0.0.N (Linux answers on all of 127.0.0.0/8), each with the same ports.
import fs from 'node:fs';
import path from 'node:path';
import { probeCassandra } from './drivers.mjs';
import { StackError } from './errors.mjs';
import { ensureLib } from './fetch.mjs';
import { instancePort } from './instance.mjs';
import { paths } from './paths.mjs';
import { cassandraToken } from './topology.mjs';

export const CQL_PORT = 9042;
export const STORAGE_PORT = 7000;
export const JMX_PORT = 7199;
/** This instance's CQL port (the test stack's are 10,000 higher); every node of a ring uses it on its own address. */
export const cqlPort = () => instancePort(CQL_PORT);
const MAIN_CLASS = 'org.apache.cassandra.service.CassandraDaemon';

/** The address of node `node`: 127.0.0.1 for the first (and only, in a one-node stack). */
export const cassandraHost = (node = 1) => `127.0.0.${node}`;

/** Contact points of every node of an N-node stack (CASSANDRA_CONTACT_POINTS). */
export const cassandraContactPoints = (nodes = 1) =>
  Array.from({ length: nodes }, (_, i) => `${cassandraHost(i + 1)}:${cqlPort()}`);

/** JMX listens on 127.0.0.1 whatever the node's address: each node needs a port of its own there. */
const jmxPort = (node = 1) => instancePort(JMX_PORT + 100 * (node - 1));

export function renderCassandraYaml({
  node = 1,
  nodes = 1,
  cqlPort: nativePort = cqlPort(),
  storagePort = instancePort(STORAGE_PORT),
  memtableSpace = '512MiB',
} = {}) {
  const host = cassandraHost(node);
  return `# Written by libs/stack on every start; edits are lost.
# A reused data dir needs the same cluster_name.
cluster_name: userstream
num_tokens: 1
initial_token: ${cassandraToken(node, nodes)}
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${cassandraHost(1)}:${storagePort}"
listen_address: ${host}
rpc_address: ${host}
storage_port: ${storagePort}
native_transport_port: ${nativePort}
endpoint_snitch: SimpleSnitch
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
commitlog_sync: periodic
commitlog_sync_period: 10000ms
auto_bootstrap: false
auto_snapshot: false
concurrent_compactors: 1
# A quarter of the heap, Cassandra's own default. At 128MiB it flushed every ~10k rows, and each flush
# writes every SAI index segment too; 512MiB raised the indexed users INSERT ceiling about 1.5x here.
memtable_heap_space: ${memtableSpace}
key_cache_size: 16MiB
file_cache_size: 64MiB
# A plain CREATE INDEX makes a storage-attached index (SAI).
default_secondary_index: sai
default_secondary_index_enabled: true
`;
}

export function renderLogback() {
  return `<!-- Written by libs/stack: INFO to stdout, which the runner redirects to .run/logs/cassandra.log. -->
<configuration scan="false">
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder>
      <pattern>%-5level [%thread] %date{ISO8601} %logger{0}:%L - %msg%n</pattern>
    </encoder>
  </appender>
  <root level="INFO">
    <appender-ref ref="STDOUT" />
  </root>
</configuration>
`;
}

// conf/jvm17-server.options of Cassandra 5.0: module access Cassandra needs on Java 17.
const JAVA17_MODULE_FLAGS = [
  ['--add-exports', 'java.base/jdk.internal.misc'],
  ['--add-exports', 'java.base/java.lang.ref'],
  ['--add-exports', 'java.management.rmi/com.sun.jmx.remote.internal.rmi'],
  ['--add-exports', 'java.rmi/sun.rmi.registry'],
  ['--add-exports', 'java.rmi/sun.rmi.server'],
  ['--add-exports', 'java.sql/java.sql'],
  ['--add-exports', 'jdk.unsupported/sun.misc'],
  ['--add-opens', 'java.base/java.lang.module'],
  ['--add-opens', 'java.base/jdk.internal.loader'],
  ['--add-opens', 'java.base/jdk.internal.ref'],
  ['--add-opens', 'java.base/jdk.internal.reflect'],
  ['--add-opens', 'java.base/jdk.internal.math'],
  ['--add-opens', 'java.base/jdk.internal.module'],
  ['--add-opens', 'java.base/jdk.internal.util.jar'],
  ['--add-opens', 'jdk.management/com.sun.management.internal'],
  ['--add-opens', 'java.base/sun.nio.ch'],
  ['--add-opens', 'java.base/java.io'],
  ['--add-opens', 'java.base/java.lang.reflect'],
  ['--add-opens', 'java.base/java.lang'],
  ['--add-opens', 'java.base/java.util'],
];
// Added by bin/cassandra.in.sh when the JDK has javac (CASSANDRA-19001).
const JDK_COMPILER_FLAGS = [
  ['--add-exports', 'jdk.attach/sun.tools.attach'],
  ['--add-exports', 'jdk.compiler/com.sun.tools.javac.file'],
  ['--add-opens', 'jdk.compiler/com.sun.tools.javac'],
];

export function cassandraJvmArgs({ lib, dir, jammJar, hasJavac, node = 1, nodes = 1, heap = '2g' }) {
  const tmp = path.join(dir, 'tmp');
  const modules = [...JAVA17_MODULE_FLAGS, ...(hasJavac ? JDK_COMPILER_FLAGS : [])];
  return [
    // A fixed heap: auto-sizing would take a quarter of RAM each. 1 GB (Testcontainers' size) ran out under
    // sustained writes into the SAI-indexed users table. No -Xmn: it would pin G1's young generation.
    `-Xms${heap}`,
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    '-XX:+ParallelRefProcEnabled',
    // Cassandra ships 300 ms. On two shared cores G1 then grew eden past 1 GB and paused 200-530 ms every few
    // seconds under load, each pause the p99 of every write in flight; at 50 ms, 3 such pauses in a bench run
    // of cases 2-3 instead of 10-11, and ingest -> stored p99 below (see backend/bench/README.md, Latency).
    '-XX:MaxGCPauseMillis=50',
    // conf/jvm-server.options, minus AlwaysPreTouch (slow start) and heap dumps (1 GB files).
    '-ea',
    '-da:net.openhft...',
    '-Xss256k',
    '-XX:+UseThreadPriorities',
    '-XX:+UseTLAB',
    '-XX:+ResizeTLAB',
    '-XX:+PerfDisableSharedMem',
    '-Djava.net.preferIPv4Stack=true',
    '-Djdk.attach.allowAttachSelf=true',
    ...modules.map(([flag, target]) => `${flag}=${target}=ALL-UNNAMED`),
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dio.netty.allocator.useCacheForAllThreads=true',
    '-Dio.netty.allocator.maxOrder=11',
    '-Dchronicle.analytics.disable=true',
    `-javaagent:${jammJar}`,
    // Fast start: no gossip settling, fixed token; one node also skips the fsync of its system tables. A ring's
    // nodes keep it: one SIGKILLed right after a schema change replayed writes of columns its schema had lost,
    // and would not start again ("Unknown column ... during deserialization").
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    `-Dcassandra.initial_token=${cassandraToken(node, nodes)}`,
    ...(nodes === 1 ? ['-Dcassandra.unsafesystem=true'] : []),
    `-Dcassandra.jmx.local.port=${jmxPort(node)}`,
    `-Dcassandra.config=file://${path.join(dir, 'conf/cassandra.yaml')}`,
    `-Dcassandra.storagedir=${path.join(dir, 'data')}`,
    // Without it Cassandra closes stdout/stderr after startup and the log goes silent.
    '-Dcassandra-foreground=yes',
    `-Dlogback.configurationFile=${path.join(dir, 'conf/logback.xml')}`,
    // JNA, snappy, lz4 and zstd unpack native libraries into the temp dir.
    `-Djava.io.tmpdir=${tmp}`,
    `-Djna.tmpdir=${tmp}`,
    `-Dorg.xerial.snappy.tempdir=${tmp}`,
    // Conf dir first, as bin/cassandra.in.sh builds it.
    '-cp',
    `${path.join(dir, 'conf')}:${path.join(lib, '*')}`,
  ];
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * CassandraDaemon always calls mlockall(MCL_CURRENT). As root (CAP_IPC_LOCK) that
 * succeeds and faults the whole 1 GB heap in: RSS 1.5 GB instead of 0.5 GB. Other
 * users fail it against the 8 MB memlock limit with a warning; dropping the
 * capability makes root behave the same.
 */
export function withoutMemoryLock(
  command,
  args,
  { isRoot = process.getuid?.() === 0, hasSetpriv = fs.existsSync(SETPRIV) } = {},
) {
  if (!isRoot || !hasSetpriv) {
    return { command, args };
  }
  return {
    command: SETPRIV,
    args: ['--bounding-set', '-ipc_lock', '--inh-caps', '-ipc_lock', '--', command, ...args],
  };
}

export function findJamm(lib) {
  const jar = fs.readdirSync(lib).find((f) => /^jamm-.*\.jar$/.test(f));
  if (!jar) {
    throw new StackError(`cassandra: no jamm jar in ${lib}; delete that folder to fetch again`);
  }
  return path.join(lib, jar);
}

/**
 * Node `node` of an N-node stack. One node keeps the names and folders of before (`cassandra`, .run/cassandra,
 * a 2 GB heap); the nodes of a ring are `cassandra-1` ... `cassandra-N` under .run/cluster, with 1.5 GB each so
 * that three of them, three brokers, the product and a browser fit in 24 GB with room to spare.
 */
export function cassandraService(versions, { node = 1, nodes = 1 } = {}) {
  const single = nodes === 1;
  const name = single ? 'cassandra' : `cassandra-${node}`;
  const dir = single ? paths.cassandra : path.join(paths.cluster, name);
  const host = cassandraHost(node);
  const heap = single ? '2g' : '1536m';
  return {
    name,
    kind: 'cassandra',
    marker: MAIN_CLASS,
    host,
    port: cqlPort(),
    ports: [cqlPort(), instancePort(STORAGE_PORT)],
    // JMX binds 127.0.0.1 on every node
    localPorts: [jmxPort(node)],
    // a node joins a ring through its seed, the first node: start them one after another
    startsAfterPrevious: !single,
    timeoutSeconds: 150,
    dataDirs: [dir],
    async prepare({ java, log }) {
      const artifact = { groupPath: 'org/apache/cassandra', id: 'cassandra-all' };
      const lib = await ensureLib({
        name: 'cassandra',
        version: versions.cassandra,
        property: 'cassandra.version',
        artifact,
        javaHome: java.home,
        log,
      });
      for (const sub of ['data', 'conf', 'tmp']) {
        fs.mkdirSync(path.join(dir, sub), { recursive: true });
      }
      const yaml = renderCassandraYaml({ node, nodes, memtableSpace: single ? '512MiB' : '384MiB' });
      fs.writeFileSync(path.join(dir, 'conf/cassandra.yaml'), yaml);
      fs.writeFileSync(path.join(dir, 'conf/logback.xml'), renderLogback());
      const args = cassandraJvmArgs({
        lib: lib.dir,
        dir,
        jammJar: findJamm(lib.dir),
        hasJavac: java.hasJavac,
        node,
        nodes,
        heap,
      });
      return { ...withoutMemoryLock(java.java, [...args, MAIN_CLASS]), cwd: dir };
    },
    /** Ready = cassandra-driver gets a query answered (in a ring: and the node sees every node before it as a peer). */
    async probe() {
      const probe = { host, port: cqlPort(), timeoutMs: 3000, peers: !single };
      const { releaseVersion, peers } = await probeCassandra(probe);
      if (single) {
        return `release ${releaseVersion}`;
      }
      if (peers < node - 1) {
        throw new Error(`sees ${peers} of the ${node - 1} nodes started before it`);
      }
      return `release ${releaseVersion}, ${host}`;
    },
  };
}
