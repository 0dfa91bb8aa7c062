import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { test } from 'node:test';
import { renderCassandraYaml } from '../src/cassandra.mjs';
import { instancePort, stackInstance } from '../src/instance.mjs';
import { renderServerProperties } from '../src/kafka.mjs';
import { paths, REPO_ROOT } from '../src/paths.mjs';
import { isAlive, readPidFile, recordFor } from '../src/procs.mjs';
import { benchEnv, testSuiteEnv } from '../src/workflow.mjs';

/** Runs `fn` with USERSTREAM_STACK set to `name` (unset for undefined), then restores it. */
function withInstance(name, fn) {
  const before = process.env.USERSTREAM_STACK;
  if (name === undefined) {
    delete process.env.USERSTREAM_STACK;
  } else {
    process.env.USERSTREAM_STACK = name;
  }
  try {
    return fn();
  } finally {
    if (before === undefined) {
      delete process.env.USERSTREAM_STACK;
    } else {
      process.env.USERSTREAM_STACK = before;
    }
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

/** What `npm start` uses: the documented defaults (the backend falls back to the same values). */
const startDefaults = () => parseEnv(readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8'));

const portOf = (address) => Number(address.split(':').at(-1));
const databaseOf = (url) => new URL(url).pathname.slice(1);

test("test suites and benchmarks reach none of a running npm start's servers, database, keyspaces or ports", () => {
  const before = process.env.USERSTREAM_STACK;
  try {
    const start = startDefaults();
    for (const [name, env] of [
      ['npm test / test:int / test:security / test:e2e / test:faults', testSuiteEnv()],
      ['npm run bench', benchEnv()],
    ]) {
      // the test stack: servers, data and pid files of its own, so stopping it never stops npm start's
      assert.equal(env.USERSTREAM_STACK, 'test', name);
      assert.equal(stackInstance(env).name, 'test', name);
      assert.notEqual(portOf(env.KAFKA_BROKERS), portOf(start.KAFKA_BROKERS), name);
      assert.notEqual(portOf(env.CASSANDRA_CONTACT_POINTS), portOf(start.CASSANDRA_CONTACT_POINTS), name);
      assert.notEqual(databaseOf(env.DATABASE_URL), databaseOf(start.DATABASE_URL), name);
      assert.notEqual(env.CASSANDRA_KEYSPACE, start.CASSANDRA_KEYSPACE, name);
      if (env.SEED_KEYSPACE) {
        assert.notEqual(env.SEED_KEYSPACE, start.SEED_KEYSPACE, name);
      }
      if (env.PORT) {
        assert.notEqual(env.PORT, start.PORT, name);
      }
      if (env.FRONTEND_PORT) {
        assert.notEqual(env.FRONTEND_PORT, '3000', name);
      }
    }
    // the process that runs them now drives the test stack: its `stack down` reads only .run/test/pids
    assert.equal(path.relative(REPO_ROOT, paths.pids), '.run/test/pids');
  } finally {
    if (before === undefined) {
      delete process.env.USERSTREAM_STACK;
    } else {
      process.env.USERSTREAM_STACK = before;
    }
  }
});

test("the test stack's `stack down`, whole or one server, stops its own servers and never a running npm start's", async () => {
  // a copy of the runner in a folder of its own: its .run stands for a developer's, with npm start up
  const root = mkdtempSync(path.join(tmpdir(), 'userstream-instances-'));
  cpSync(path.join(REPO_ROOT, 'libs/stack/bin'), path.join(root, 'libs/stack/bin'), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'libs/stack/src'), path.join(root, 'libs/stack/src'), { recursive: true });
  const marker = `userstream-instance-test-${process.pid}`;
  const server = (name, dir) => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)', marker], { stdio: 'ignore' });
    const file = path.join(root, '.run', dir, 'pids', `${name}.pid`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(recordFor(child.pid, marker)));
    const exited = new Promise((resolve) => child.once('exit', () => resolve(true)));
    return { child, file, stopped: () => Promise.race([exited, delay(10_000, false, { ref: false })]) };
  };
  const userServers = ['kafka', 'cassandra', 'postgres'].map((name) => server(name, ''));
  const testServers = ['kafka', 'cassandra'].map((name) => server(name, 'test'));
  const down = (...args) =>
    execFileSync(
      process.execPath,
      [path.join(root, 'libs/stack/bin/userstream.mjs'), 'stack', 'down', ...args],
      {
        env: { ...process.env, ...testSuiteEnv(), USERSTREAM_STACK: 'test' },
        encoding: 'utf8',
      },
    );
  try {
    // as the fault suite stops Kafka, then as `npm test` ends
    down('kafka');
    assert.ok(await testServers[0].stopped(), "the test stack's Kafka was stopped");
    down();
    assert.ok(await testServers[1].stopped(), "the test stack's Cassandra was stopped");
    for (const { child, file } of userServers) {
      assert.ok(isAlive(child.pid), `npm start's ${path.basename(file)} process is still running`);
      assert.equal(readPidFile(file).pid, child.pid);
    }
  } finally {
    for (const { child } of [...userServers, ...testServers]) {
      child.kill('SIGKILL');
    }
    rmSync(root, { recursive: true, force: true });
  }
});
