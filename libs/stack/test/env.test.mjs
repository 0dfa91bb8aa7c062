import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseEnv, readVersions } from '../src/env.mjs';

test('parseEnv handles comments, blanks, export, quotes and trailing comments', () => {
  const vars = parseEnv(
    [
      '# versions',
      '',
      'KAFKA_VERSION=4.1.1',
      'export CASSANDRA_VERSION = 5.0.6 # pinned',
      'A="x # not a comment"',
      "B='y'",
      'not a line',
      'C=',
    ].join('\n'),
  );
  assert.deepEqual(vars, {
    KAFKA_VERSION: '4.1.1',
    CASSANDRA_VERSION: '5.0.6',
    A: 'x # not a comment',
    B: 'y',
    C: '',
  });
});

test('parseEnv accepts CRLF line endings', () => {
  assert.deepEqual(parseEnv('A=1\r\nB=2\r\n'), { A: '1', B: '2' });
});

test('readVersions reads the repository docker/.env', () => {
  const versions = readVersions(new URL('../../../docker/.env', import.meta.url).pathname);
  assert.match(versions.kafka, /^\d+\.\d+\.\d+$/);
  assert.match(versions.cassandra, /^\d+\.\d+\.\d+$/);
  assert.ok(versions.postgres);
});

test('readVersions names a missing key and a missing file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-env-'));
  const file = path.join(dir, '.env');
  fs.writeFileSync(file, 'KAFKA_VERSION=4.1.1\n');
  assert.throws(() => readVersions(file), /CASSANDRA_VERSION is missing/);
  assert.throws(() => readVersions(path.join(dir, 'nope')), /cannot read/);
  fs.rmSync(dir, { recursive: true });
});
