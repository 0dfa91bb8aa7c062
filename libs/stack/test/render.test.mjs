import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cassandraJvmArgs,
  renderCassandraYaml,
  renderLogback,
  withoutMemoryLock,
} from '../src/cassandra.mjs';
import { mavenArgs } from '../src/fetch.mjs';
import { generateClusterId, kafkaJvmArgs, renderLog4j2, renderServerProperties } from '../src/kafka.mjs';

// the main stack's files, whichever stack the command running these tests drives (npm test: the test stack)
delete process.env.USERSTREAM_STACK;

const props = (text) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );

test('server.properties: combined KRaft node on 127.0.0.1 with single-partition internal topics', () => {
  const p = props(renderServerProperties({ dataDir: '/d' }));
  assert.equal(p['process.roles'], 'broker,controller');
  assert.equal(p['controller.quorum.voters'], '1@127.0.0.1:9093');
  assert.equal(p.listeners, 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
  assert.equal(p['advertised.listeners'], 'PLAINTEXT://127.0.0.1:9092');
  assert.equal(p['log.dirs'], '/d');
  assert.equal(p['offsets.topic.num.partitions'], '1');
  assert.equal(p['group.initial.rebalance.delay.ms'], '0');
  assert.equal(p['auto.create.topics.enable'], undefined, 'topic auto-creation keeps its default (true)');
  assert.ok(!Object.values(p).some((v) => v.includes('localhost')));
});

test('log4j2 properties: INFO to a console appender', () => {
  const p = props(renderLog4j2());
  assert.equal(p['rootLogger.level'], 'INFO');
  assert.equal(p['appender.out.type'], 'Console');
  assert.equal(p['rootLogger.appenderRef.out.ref'], p['appender.out.name']);
});

test('cluster ids are 22 URL-safe characters and never start with "-"', () => {
  const dash = Buffer.from('+' + 'A'.repeat(21), 'base64'); // "-" in base64url
  let calls = 0;
  const id = generateClusterId(() => (calls++ === 0 ? dash.subarray(0, 16) : Buffer.alloc(16, 7)));
  assert.equal(calls, 2);
  assert.equal(id.length, 22);
  assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  assert.notEqual(generateClusterId(), generateClusterId());
});

test('kafka JVM: 512 MB heap, log4j2 file, classpath of its own lib dir', () => {
  const args = kafkaJvmArgs({ lib: '/lib/kafka-4.1.1', dir: '/run/kafka' });
  assert.ok(args.includes('-Xmx512m'));
  assert.ok(args.includes('-Dlog4j2.configurationFile=/run/kafka/log4j2.properties'));
  assert.equal(args[args.indexOf('-cp') + 1], '/lib/kafka-4.1.1/*');
});

test('cassandra.yaml: required directives, SAI default, no snapshots', () => {
  const yaml = renderCassandraYaml();
  for (const line of [
    'partitioner: org.apache.cassandra.dht.Murmur3Partitioner',
    'endpoint_snitch: SimpleSnitch',
    'commitlog_sync: periodic',
    'listen_address: 127.0.0.1',
    'rpc_address: 127.0.0.1',
    'native_transport_port: 9042',
    'default_secondary_index: sai',
    'default_secondary_index_enabled: true',
    'auto_snapshot: false',
  ]) {
    assert.ok(yaml.split('\n').includes(line), `missing: ${line}`);
  }
  assert.match(yaml, /seeds: "127\.0\.0\.1:7000"/);
  assert.doesNotMatch(yaml, /\t/, 'YAML forbids tabs');
});

test('logback.xml: INFO root logger on a console appender', () => {
  const xml = renderLogback();
  assert.match(xml, /<root level="INFO">/);
  assert.match(xml, /ch\.qos\.logback\.core\.ConsoleAppender/);
});

test('cassandra JVM: heap, jamm agent, Java 17 module flags, fast-start flags, own classpath', () => {
  const base = { lib: '/lib/c', dir: '/run/c', jammJar: '/lib/c/jamm-0.4.0.jar' };
  const args = cassandraJvmArgs({ ...base, hasJavac: false });
  for (const flag of [
    '-Xms2g',
    '-Xmx2g',
    '-javaagent:/lib/c/jamm-0.4.0.jar',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED',
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    '-Dcassandra.initial_token=0',
    '-Dcassandra.unsafesystem=true',
    '-Dcassandra-foreground=yes',
    '-Dcassandra.storagedir=/run/c/data',
    '-Djava.io.tmpdir=/run/c/tmp',
  ]) {
    assert.ok(args.includes(flag), `missing: ${flag}`);
  }
  assert.equal(args[args.indexOf('-cp') + 1], '/run/c/conf:/lib/c/*');
  assert.ok(!args.some((a) => a.includes('jdk.compiler')));
  assert.ok(
    cassandraJvmArgs({ ...base, hasJavac: true }).includes(
      '--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED',
    ),
  );
});

test('maven arguments: pinned plugin, version from a property, offline on request', () => {
  const args = mavenArgs({
    pom: '/p/pom.xml',
    property: 'kafka.version',
    version: '4.1.1',
    outputDir: '/o',
    offline: true,
  });
  assert.deepEqual(args, [
    '-B',
    '-o',
    '-f',
    '/p/pom.xml',
    '-Dkafka.version=4.1.1',
    'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
    '-DincludeScope=runtime',
    '-DoutputDirectory=/o',
  ]);
  assert.ok(!mavenArgs({ pom: 'x', property: 'p', version: '1', outputDir: 'o' }).includes('-o'));
});

test('as root, Cassandra runs without CAP_IPC_LOCK so its mlockall cannot pin the heap', () => {
  assert.deepEqual(withoutMemoryLock('/j/java', ['-Xmx1g'], { isRoot: false, hasSetpriv: true }), {
    command: '/j/java',
    args: ['-Xmx1g'],
  });
  assert.deepEqual(withoutMemoryLock('/j/java', ['-Xmx1g'], { isRoot: true, hasSetpriv: false }), {
    command: '/j/java',
    args: ['-Xmx1g'],
  });
  assert.deepEqual(withoutMemoryLock('/j/java', ['-Xmx1g'], { isRoot: true, hasSetpriv: true }), {
    command: '/usr/bin/setpriv',
    args: ['--bounding-set', '-ipc_lock', '--inh-caps', '-ipc_lock', '--', '/j/java', '-Xmx1g'],
  });
});
