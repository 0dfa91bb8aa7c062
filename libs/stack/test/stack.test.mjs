import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitReady } from '../src/stack.mjs';

// this test process stands in for a server: alive, but its command line lacks the marker, as a JVM's
// /proc entry can while setpriv is exec'ing it
const foreignLooking = { pid: process.pid, marker: 'a-marker-not-in-this-command-line' };

function slowService() {
  let probes = 0;
  return {
    name: 'wait-ready-test',
    probe: async () => {
      probes += 1;
      if (probes < 2) {
        throw new Error('not ready yet');
      }
      return 'ready';
    },
  };
}

test('waitReady trusts the exit event, not /proc, for a process it spawned', async () => {
  const detail = await waitReady(slowService(), foreignLooking, {
    timeoutMs: 10_000,
    exit: {},
    spawned: true,
  });
  assert.equal(detail, 'ready');
});

test('waitReady fails fast when its spawned process exits', async () => {
  await assert.rejects(
    waitReady(slowService(), foreignLooking, {
      timeoutMs: 10_000,
      exit: { status: 'exit code 1' },
      spawned: true,
    }),
    /died while starting \(exit code 1\)/,
  );
});

test('waitReady takes a recorded process that is no longer ours for dead', async () => {
  await assert.rejects(
    waitReady(slowService(), foreignLooking, { timeoutMs: 10_000, exit: {} }),
    /died while starting/,
  );
});
