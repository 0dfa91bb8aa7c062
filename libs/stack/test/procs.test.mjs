import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  cmdline,
  isOurs,
  listeningInodes,
  parseStat,
  parseStatusKb,
  procStat,
  readPidFile,
  recordFor,
  writePidFile,
} from '../src/procs.mjs';

test('parseStat reads state and start time even when the command name has spaces and parentheses', () => {
  const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
  fields[0] = 'S';
  fields[19] = '123456'; // field 22
  const stat = parseStat(`4242 (java (x) y) ${fields.join(' ')}`);
  assert.deepEqual(stat, { state: 'S', ppid: 4, startTicks: 123456 });
});

test('parseStatusKb reads VmRSS and VmHWM', () => {
  const status = 'Name:\tjava\nVmHWM:\t  231100 kB\nVmRSS:\t  223760 kB\n';
  assert.equal(parseStatusKb(status, 'VmRSS'), 223760);
  assert.equal(parseStatusKb(status, 'VmHWM'), 231100);
  assert.equal(parseStatusKb(status, 'VmSwap'), null);
});

const fakeProc = (stat, args) => ({ procStat: () => stat, cmdline: () => args });

test('isOurs needs the same start time and the marker as an argument', () => {
  const record = { pid: 7, marker: 'kafka.Kafka', startTicks: 100 };
  const args = ['/usr/bin/java', '-cp', 'x', 'kafka.Kafka', 'server.properties'];
  assert.equal(isOurs(record, fakeProc({ state: 'S', startTicks: 100 }, args)), true);
  assert.equal(
    isOurs(record, fakeProc({ state: 'S', startTicks: 101 }, args)),
    false,
    'pid reused by a later process',
  );
  assert.equal(isOurs(record, fakeProc({ state: 'S', startTicks: 100 }, ['/bin/sh', 'kafka.KafkaX'])), false);
  assert.equal(isOurs(record, fakeProc({ state: 'Z', startTicks: 100 }, args)), false, 'zombie');
  assert.equal(isOurs(record, fakeProc(null, null)), false, 'gone');
  assert.equal(isOurs(null), false);
});

test('isOurs against this very process through /proc', () => {
  const marker = cmdline(process.pid).at(-1);
  const record = recordFor(process.pid, marker);
  assert.equal(record.startTicks, procStat(process.pid).startTicks);
  assert.equal(isOurs(record), true);
  assert.equal(isOurs({ ...record, startTicks: record.startTicks + 1 }), false);
  assert.equal(isOurs({ ...record, marker: 'org.apache.cassandra.service.CassandraDaemon' }), false);
});

test('pid files round-trip; a corrupt one reads as null', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-pid-'));
  const file = path.join(dir, 'pids/kafka.pid');
  writePidFile(file, { pid: 1, marker: 'm', startTicks: 2 });
  assert.deepEqual(readPidFile(file), { pid: 1, marker: 'm', startTicks: 2 });
  fs.writeFileSync(file, '12');
  assert.equal(readPidFile(path.join(dir, 'missing.pid')), null);
  fs.writeFileSync(file, '{oops');
  assert.equal(readPidFile(file), null);
  fs.rmSync(dir, { recursive: true });
});

test('listeningInodes picks LISTEN sockets of the port from /proc/net/tcp', () => {
  const table = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0 100 0 0 10 0',
    '   1: 0100007F:2384 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 2222 1 0 20 4 30 10 -1',
    '   2: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 3333 1 0 100 0 0 10 0',
  ].join('\n');
  assert.deepEqual(listeningInodes(table, 9092), ['1111']);
  assert.deepEqual(listeningInodes(table, 5432), ['3333']);
  assert.deepEqual(listeningInodes(table, 9042), []);
});
