import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { StackError } from '../src/errors.mjs';
import { ensureLib, libDir } from '../src/fetch.mjs';
import { lastLines, tailFile } from '../src/logs.mjs';
import { logFile } from '../src/paths.mjs';
import { findPgBinaries } from '../src/postgres.mjs';
import { startTimeoutMs } from '../src/stack.mjs';

test('STACK_TIMEOUT_SECONDS overrides the per-server start timeout', () => {
  const service = { timeoutSeconds: 150 };
  assert.equal(startTimeoutMs(service, {}), 150_000);
  assert.equal(startTimeoutMs(service, { STACK_TIMEOUT_SECONDS: '20' }), 20_000);
  assert.equal(startTimeoutMs(service, { STACK_TIMEOUT_SECONDS: 'x' }), 150_000);
});

test('tailFile returns the last lines, or nothing for a missing file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-logs-'));
  const file = path.join(dir, 'x.log');
  fs.writeFileSync(file, Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') + '\n');
  assert.equal(tailFile(file, 2), 'line 98\nline 99');
  assert.equal(tailFile(path.join(dir, 'none.log')), '');
  assert.equal(lastLines('a\nb\nc', 5), 'a\nb\nc');
  fs.rmSync(dir, { recursive: true });
});

test('findPgBinaries prefers the wanted major, else the newest', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-pg-'));
  for (const v of ['13', '15', '16']) {
    fs.mkdirSync(path.join(root, v, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(root, v, 'bin/pg_ctl'), '');
  }
  assert.equal(findPgBinaries('15', root).version, '15');
  assert.equal(findPgBinaries('17', root).version, '16');
  assert.equal(findPgBinaries('16', path.join(root, 'none')), null);
  fs.rmSync(root, { recursive: true });
});

test('the nodes of a cluster asking for the same jars at once share one Maven fetch', async () => {
  const before = process.env.USERSTREAM_STACK;
  // its Maven log goes to the test stack's folder, never to a running npm start's
  process.env.USERSTREAM_STACK = 'test';
  const name = `no-such-lib-${process.pid}`;
  const ask = () =>
    ensureLib({
      name,
      version: '0',
      property: 'none.version',
      artifact: { groupPath: 'org/example', id: name },
      javaHome: process.env.JAVA_HOME ?? '/usr',
      log: () => undefined,
    });
  try {
    const [first, second] = [ask(), ask()];
    assert.equal(first, second);
    // no such pom: the one fetch fails, for both
    await assert.rejects(first, StackError);
    // a failed fetch is not remembered: the next ask tries again
    const third = ask();
    assert.notEqual(third, first);
    await assert.rejects(third, StackError);
  } finally {
    fs.rmSync(`${libDir(name, '0')}.partial`, { recursive: true, force: true });
    const log = logFile(`mvn-${name}`);
    for (const file of fs.readdirSync(path.dirname(log))) {
      if (file.startsWith(path.basename(log))) {
        fs.rmSync(path.join(path.dirname(log), file));
      }
    }
    if (before === undefined) {
      delete process.env.USERSTREAM_STACK;
    } else {
      process.env.USERSTREAM_STACK = before;
    }
  }
});
