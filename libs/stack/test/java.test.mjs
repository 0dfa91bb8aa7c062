import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StackError } from '../src/errors.mjs';
import { parseJavaMajor, requireMaven, resolveJava } from '../src/java.mjs';

test('parseJavaMajor understands both version schemes', () => {
  assert.equal(parseJavaMajor('openjdk version "17.0.15" 2025-04-15'), 17);
  assert.equal(parseJavaMajor('openjdk version "25" 2025-09-16'), 25);
  assert.equal(parseJavaMajor('java version "1.8.0_292"'), 8);
  assert.equal(parseJavaMajor('garbage'), null);
});

const candidates = [
  { java: '/jdk25/bin/java', source: 'JAVA_HOME' },
  { java: '/jdk17/bin/java', source: 'debian' },
];

test('resolveJava skips a non-17 JAVA_HOME for the next Java 17', () => {
  const probe = (java) => ({
    java,
    home: java.replace('/bin/java', ''),
    major: java.includes('17') ? 17 : 25,
  });
  const found = resolveJava({ candidates, probe });
  assert.equal(found.home, '/jdk17');
  assert.equal(found.source, 'debian');
});

test('resolveJava says what to install when no Java 17 exists', () => {
  assert.throws(
    () =>
      resolveJava({
        candidates,
        probe: (java) => (java.includes('25') ? { java, home: '/jdk25', major: 25 } : null),
      }),
    (err) =>
      err instanceof StackError &&
      /Java 17 is required.*found Java 25 \(JAVA_HOME\).*apt-get install openjdk-17-jdk-headless/.test(
        err.message,
      ),
  );
  assert.throws(
    () => resolveJava({ candidates, probe: () => null }),
    /Java 17 is required for Kafka and Cassandra: apt-get/,
  );
});

test('requireMaven says what to install when mvn is missing', () => {
  assert.throws(
    () => requireMaven({ command: 'mvn-that-does-not-exist' }),
    (err) => err instanceof StackError && /apt-get install maven/.test(err.message),
  );
});
