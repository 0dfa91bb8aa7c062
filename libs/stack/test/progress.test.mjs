import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { mavenDownloads, reportWhile } from '../src/progress.mjs';

test('a wait reports what it waits for at every tick, and stops when the work is done', async () => {
  const lines = [];
  let step = 0;
  const work = sleep(130, 'done');
  const result = await reportWhile(work, {
    log: (line) => lines.push(line),
    describe: () => `step ${++step}`,
    everyMs: 40,
  });
  assert.equal(result, 'done');
  assert.deepEqual(
    lines.map((line) => line.replace(/ \(\d+ s\)$/, '')),
    ['step 1', 'step 2', 'step 3'],
  );
  await sleep(100);
  assert.equal(lines.length, 3);
});

test('a failed wait stops reporting and passes the error on', async () => {
  const lines = [];
  await assert.rejects(
    reportWhile(Promise.reject(new Error('boom')), {
      log: (line) => lines.push(line),
      describe: () => 'x',
      everyMs: 10,
    }),
    /boom/,
  );
  await sleep(40);
  assert.deepEqual(lines, []);
});

test("Maven's download lines add up to files and bytes", () => {
  const log = [
    '[INFO] Downloading from central: https://repo.maven.apache.org/maven2/a/a-1.pom',
    '[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/a/a-1.pom (2.1 kB at 10 kB/s)',
    '[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/k/kafka_2.13-4.1.1.jar (12 MB at 3.1 MB/s)',
    '[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/x/x.sha1 (40 B at 1 kB/s)',
    '[WARNING] something else (3 MB at 1 MB/s)',
  ].join('\n');
  assert.deepEqual(mavenDownloads(log), { files: 3, bytes: 2100 + 12e6 + 40 });
  assert.deepEqual(mavenDownloads(''), { files: 0, bytes: 0 });
});
