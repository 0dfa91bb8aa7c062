import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { renderCassandraYaml } from '../src/cassandra.mjs';
import { instancePort, stackInstance } from '../src/instance.mjs';
import { renderServerProperties } from '../src/kafka.mjs';
import { paths, REPO_ROOT } from '../src/paths.mjs';

/** Runs `fn` with USERSTREAM_STACK set to `name` (unset for undefined), then restores it. */
function withInstance(name, fn) {
  const before = process.env.USERSTREAM_STACK;
  if (name === undefined) delete process.env.USERSTREAM_STACK;
  else process.env.USERSTREAM_STACK = name;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.USERSTREAM_STACK;
    else process.env.USERSTREAM_STACK = before;
  }
}

test('the main stack keeps the usual ports and .run', () => {
  withInstance(undefined, () => {
    assert.equal(stackInstance().name, 'main');
    assert.equal(instancePort(9092), 9092);
    assert.equal(path.relative(REPO_ROOT, paths.kafka), '.run/kafka');
    assert.match(renderCassandraYaml(), /native_transport_port: 9042\nendpoint/);
  });
});

test('the test stack has ports, data, pids and logs of its own; fetched jars are shared', () => {
  withInstance('test', () => {
    assert.equal(instancePort(9042), 19042);
    assert.equal(path.relative(REPO_ROOT, paths.cassandra), '.run/test/cassandra');
    assert.equal(path.relative(REPO_ROOT, paths.pids), '.run/test/pids');
    assert.equal(path.relative(REPO_ROOT, paths.logs), '.run/test/logs');
    assert.equal(path.relative(REPO_ROOT, paths.lib), '.run/lib');
    const yaml = renderCassandraYaml();
    assert.match(yaml, /storage_port: 17000/);
    assert.match(yaml, /native_transport_port: 19042/);
    assert.match(yaml, /seeds: "127\.0\.0\.1:17000"/);
    const kafka = renderServerProperties({ dataDir: '/tmp/k' });
    assert.match(kafka, /PLAINTEXT:\/\/127\.0\.0\.1:19092,CONTROLLER:\/\/127\.0\.0\.1:19093/);
  });
});

test('an unknown instance is refused with the names to use', () => {
  withInstance('prod', () => assert.throws(() => stackInstance(), /USERSTREAM_STACK=prod: use main or test/));
});
