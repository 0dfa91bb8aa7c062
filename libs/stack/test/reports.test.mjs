import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { jestReport, playwrightReport, tapReport } from '../src/reports.mjs';

function write(name, content) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-reports-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

test('a Jest report names each failed test with the first line of its error, and suites that could not run', () => {
  const file = write('jest.json', {
    numPassedTests: 3,
    numFailedTests: 1,
    numRuntimeErrorTestSuites: 1,
    testResults: [
      {
        name: '/repo/backend/src/a.int-spec.ts',
        status: 'failed',
        assertionResults: [
          { fullName: 'runs completes', status: 'passed', failureMessages: [] },
          {
            fullName: 'runs stops on request',
            status: 'failed',
            failureMessages: [
              '\u001b[2mexpect(\u001b[22mreceived\u001b[2m).toBe(\u001b[22mexpected)\n\nExpected: 1',
            ],
          },
        ],
      },
      {
        name: '/repo/backend/src/b.int-spec.ts',
        status: 'failed',
        assertionResults: [],
        message: '\n  ● Test suite failed to run\n',
      },
      { name: '/repo/backend/src/c.int-spec.ts', status: 'passed', assertionResults: [] },
    ],
  });
  assert.deepEqual(jestReport(file), {
    passed: 3,
    failed: 2,
    failures: [
      {
        name: '/repo/backend/src/a.int-spec.ts: runs stops on request',
        reason: 'expect(received).toBe(expected)',
      },
      { name: '/repo/backend/src/b.int-spec.ts', reason: '● Test suite failed to run' },
    ],
  });
  assert.equal(jestReport(path.join(path.dirname(file), 'none.json')), undefined);
});

test('a Playwright report names failed tests by file, describe and title; flaky ones count as passed', () => {
  const file = write('pw.json', {
    stats: { expected: 4, flaky: 1, unexpected: 1 },
    suites: [
      {
        title: 'groups.e2e-spec.ts',
        specs: [{ title: 'lists groups', tests: [{ status: 'expected', results: [{}] }] }],
        suites: [
          {
            title: 'offset reset',
            specs: [
              {
                title: 'dry run shows the lag',
                tests: [
                  { status: 'unexpected', results: [{ error: { message: 'Timed out 15000ms\nmore' } }] },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
  assert.deepEqual(playwrightReport(file), {
    passed: 5,
    failed: 1,
    failures: [
      { name: 'groups.e2e-spec.ts > offset reset > dry run shows the lag', reason: 'Timed out 15000ms' },
    ],
  });
});

test('TAP output gives counts and the names of tests not ok', () => {
  const file = write('unit.tap', 'ok 1 - a\nnot ok 2 - b fails\n# pass 1\n# fail 1\n');
  assert.deepEqual(tapReport(file), { passed: 1, failed: 1, failures: [{ name: 'b fails', reason: '' }] });
});
