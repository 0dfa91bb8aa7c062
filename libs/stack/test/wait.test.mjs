import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeOnceSettled, NoAnswer, retry, sleep, withTimeout } from '../src/wait.mjs';

test('retry resolves with the first value an attempt returns', async () => {
  let attempts = 0;
  const result = await retry(() => (++attempts < 3 ? undefined : `after ${attempts}`), { everyMs: 10 });
  assert.equal(result, 'after 3');
});

test('retry gives up with undefined once its time has passed', async () => {
  let attempts = 0;
  const started = Date.now();
  const result = await retry(() => void attempts++, { everyMs: 20, timeoutMs: 100 });
  assert.equal(result, undefined);
  // every 20 ms for 100 ms: a handful, fewer on a busy machine
  assert.ok(attempts >= 1 && attempts <= 6, `${attempts} attempts`);
  assert.ok(Date.now() - started >= 100);
});

test('an attempt that throws ends the retries with its error', async () => {
  let attempts = 0;
  await assert.rejects(
    retry(
      () => {
        attempts += 1;
        throw new Error('fatal');
      },
      { everyMs: 10 },
    ),
    /fatal/,
  );
  assert.equal(attempts, 1);
});

test('withTimeout passes a result on, or rejects with NoAnswer in time', async () => {
  assert.equal(await withTimeout(async () => 'done', { timeoutMs: 1000, message: 'late' }), 'done');
  const started = Date.now();
  await assert.rejects(
    withTimeout(() => sleep(5_000, undefined, { ref: false }), {
      timeoutMs: 50,
      message: 'no answer within 50 ms',
    }),
    (error) => error instanceof NoAnswer && error.message === 'no answer within 50 ms',
  );
  // long before the 5 s the work would take
  assert.ok(Date.now() - started < 4000);
});

test('closeOnceSettled closes a client whose work settles after the wait gave up', async () => {
  let connect;
  const connecting = new Promise((resolve) => (connect = resolve));
  let closes = 0;
  const started = Date.now();
  await closeOnceSettled(connecting, () => (closes += 1), 50);
  assert.ok(Date.now() - started < 4000);
  assert.equal(closes, 0, 'nothing closed while the work is in flight');
  connect();
  await connecting;
  await sleep(0);
  assert.equal(closes, 1);
});

test('closeOnceSettled closes after failed work, and never rejects or hangs on the close', async () => {
  let closes = 0;
  await closeOnceSettled(Promise.reject(new Error('refused')), () => (closes += 1), 1000);
  assert.equal(closes, 1);
  await closeOnceSettled(Promise.resolve(), () => Promise.reject(new Error('socket gone')), 1000);
  const started = Date.now();
  await closeOnceSettled(Promise.resolve(), () => sleep(5_000, undefined, { ref: false }), 50);
  assert.ok(Date.now() - started < 4000);
});
