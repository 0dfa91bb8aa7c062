import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { cassandraContactPoints, cassandraJvmArgs, renderCassandraYaml } from '../src/cassandra.mjs';
import { kafkaBrokers, renderServerProperties } from '../src/kafka.mjs';
import { REPO_ROOT } from '../src/paths.mjs';
import { services } from '../src/stack.mjs';
import { cassandraToken, parseNodes } from '../src/topology.mjs';

// the layouts below are the main stack's: `npm test` runs this with the test stack's variable set
delete process.env.USERSTREAM_STACK;

const props = (text) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );

test('one node keeps the names, folders, token and heap of before', () => {
  const [kafka, cassandra] = services({}, 1);
  assert.deepEqual([kafka.name, cassandra.name], ['kafka', 'cassandra']);
  assert.equal(path.relative(REPO_ROOT, kafka.dataDirs[0]), '.run/kafka');
  assert.equal(cassandra.startsAfterPrevious, false);
  assert.match(renderCassandraYaml(), /initial_token: 0\n/);
  assert.equal(props(renderServerProperties({ dataDir: '/d' }))['default.replication.factor'], '1');
  assert.deepEqual(kafkaBrokers(), ['127.0.0.1:9092']);
  assert.deepEqual(cassandraContactPoints(), ['127.0.0.1:9042']);
});

test('a cluster has N brokers on port pairs of their own and N Cassandra nodes on 127.0.0.N', () => {
  const names = services({}, 3).map((service) => `${service.name}@${service.host}:${service.port}`);
  assert.deepEqual(names, [
    'kafka-1@127.0.0.1:9092',
    'kafka-2@127.0.0.1:9094',
    'kafka-3@127.0.0.1:9096',
    'cassandra-1@127.0.0.1:9042',
    'cassandra-2@127.0.0.2:9042',
    'cassandra-3@127.0.0.3:9042',
  ]);
  const folders = services({}, 3).map((service) => path.relative(REPO_ROOT, service.dataDirs[0]));
  assert.ok(folders.every((folder) => folder.startsWith('.run/cluster/')));
  assert.equal(new Set(folders).size, 6);
  // every node but the first joins through the one before it
  assert.ok(
    services({}, 3)
      .filter((s) => s.kind === 'cassandra')
      .every((s) => s.startsAfterPrevious),
  );
  assert.deepEqual(cassandraContactPoints(3), ['127.0.0.1:9042', '127.0.0.2:9042', '127.0.0.3:9042']);
});

test('each broker of three lists all three voters, listens on its own ports and replicates internals thrice', () => {
  const second = props(renderServerProperties({ dataDir: '/d', node: 2, nodes: 3 }));
  assert.equal(second['node.id'], '2');
  assert.equal(second['controller.quorum.voters'], '1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097');
  assert.equal(second.listeners, 'PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095');
  assert.equal(second['advertised.listeners'], 'PLAINTEXT://127.0.0.1:9094');
  assert.equal(second['offsets.topic.replication.factor'], '3');
  assert.equal(second['transaction.state.log.min.isr'], '2');
  const ofTwo = props(renderServerProperties({ dataDir: '/d', node: 1, nodes: 2 }));
  assert.equal(ofTwo['default.replication.factor'], '2');
  assert.equal(ofTwo['transaction.state.log.min.isr'], '2');
});

test('each Cassandra node has its address, an evenly spread token, the first node as seed and its own JMX port', () => {
  const tokens = [1, 2, 3].map((node) => BigInt(cassandraToken(node, 3)));
  assert.deepEqual(tokens, [0n, 6148914691236517205n, -6148914691236517206n]);
  for (const token of tokens) {
    assert.ok(token >= -(2n ** 63n) && token < 2n ** 63n);
  }
  const third = renderCassandraYaml({ node: 3, nodes: 3 });
  assert.match(third, /listen_address: 127\.0\.0\.3\nrpc_address: 127\.0\.0\.3\n/);
  assert.match(third, /seeds: "127\.0\.0\.1:7000"/);
  assert.match(third, /initial_token: -6148914691236517206\n/);
  const args = cassandraJvmArgs({ lib: '/l', dir: '/d', jammJar: '/j', hasJavac: false, node: 3, nodes: 3 });
  assert.ok(args.includes('-Dcassandra.jmx.local.port=7399'));
  assert.ok(args.includes('-Dcassandra.initial_token=-6148914691236517206'));
  // a ring's nodes must survive a SIGKILL: their schema is flushed
  assert.ok(!args.includes('-Dcassandra.unsafesystem=true'));
  const single = cassandraJvmArgs({ lib: '/l', dir: '/d', jammJar: '/j', hasJavac: false });
  assert.ok(single.includes('-Dcassandra.unsafesystem=true'));
});

test('--nodes takes a whole number from 1 to 5', () => {
  assert.equal(parseNodes('3'), 3);
  for (const bad of ['0', '6', '2.5', 'x', undefined]) {
    assert.throws(() => parseNodes(bad), /from 1 to 5/);
  }
});
