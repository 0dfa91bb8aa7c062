// What a suite's report file says: how many tests passed and failed, and which failed with what first line.
import { existsSync, readFileSync } from 'node:fs';

/** Text without terminal colour codes. */
export function withoutColours(text) {
  // eslint-disable-next-line no-control-regex
  return String(text).replace(/\u001b\[[0-9;]*m/g, '');
}

/** The first line of an error, without colour codes, short enough for a CI summary. */
function firstLine(message = '') {
  const line =
    withoutColours(message)
      .split('\n')
      .find((text) => text.trim() !== '') ?? '';
  return line.trim().slice(0, 240);
}

/** A Jest `--json` report: { passed, failed, failures: [{ name, reason }] }. */
export function jestReport(file) {
  if (!existsSync(file)) {
    return undefined;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const failures = [];
  for (const suite of report.testResults ?? []) {
    const failed = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
    for (const test of failed) {
      failures.push({
        name: `${suite.name}: ${test.fullName}`,
        reason: firstLine(test.failureMessages?.[0]),
      });
    }
    // a suite that could not run (compile error, failing beforeAll with no test) has no failed assertion
    if (failed.length === 0 && suite.status === 'failed') {
      failures.push({ name: suite.name, reason: firstLine(suite.message) });
    }
  }
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
    failures,
  };
}

/** A Playwright JSON report: { passed, failed, failures }. */
export function playwrightReport(file) {
  if (!existsSync(file)) {
    return undefined;
  }
  const { stats, suites = [] } = JSON.parse(readFileSync(file, 'utf8'));
  const failures = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') {
          continue;
        }
        const last = test.results?.at(-1);
        failures.push({
          name: [...titles, spec.title].filter(Boolean).join(' > '),
          reason: firstLine(last?.error?.message),
        });
      }
    }
    for (const child of suite.suites ?? []) {
      walk(child, [...titles, child.title]);
    }
  };
  for (const suite of suites) {
    walk(suite, [suite.title]);
  }
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, failures };
}

/** node:test TAP output: { passed, failed, failures }. */
export function tapReport(file) {
  if (!existsSync(file)) {
    return undefined;
  }
  const text = readFileSync(file, 'utf8');
  const count = (word) => Number(text.match(new RegExp(`^# ${word} (\\d+)$`, 'm'))?.[1] ?? 0);
  const failures = [...text.matchAll(/^\s*not ok \d+ - (.+)$/gm)].map((match) => ({
    name: match[1].trim(),
    reason: '',
  }));
  return { passed: count('pass'), failed: count('fail'), failures };
}
