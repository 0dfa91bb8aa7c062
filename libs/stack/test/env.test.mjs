import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readVersions } from '../src/env.mjs';

test('readVersions reads the repository docker/.env', () => {
  const versions = readVersions(new URL('../../../docker/.env', import.meta.url).pathname);
  assert.match(versions.kafka, /^\d+\.\d+\.\d+$/);
  assert.match(versions.cassandra, /^\d+\.\d+\.\d+$/);
  assert.ok(versions.postgres);
});

test('readVersions takes comments, export, quotes and CRLF as docker compose does', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-env-'));
  const file = path.join(dir, '.env');
  fs.writeFileSync(
    file,
    [
      '# versions',
      '',
      'export KAFKA_VERSION=4.1.1',
      'CASSANDRA_VERSION = 5.0.6 # pinned',
      'POSTGRES_VERSION="16"',
      '',
    ].join('\r\n'),
  );
  try {
    assert.deepEqual(readVersions(file), { kafka: '4.1.1', cassandra: '5.0.6', postgres: '16' });
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('readVersions names a missing key and a missing file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-env-'));
  const file = path.join(dir, '.env');
  fs.writeFileSync(file, 'KAFKA_VERSION=4.1.1\n');
  assert.throws(() => readVersions(file), /CASSANDRA_VERSION is missing/);
  assert.throws(() => readVersions(path.join(dir, 'nope')), /cannot read/);
  fs.rmSync(dir, { recursive: true });
});
