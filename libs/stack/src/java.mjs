// Finds the JDK and Maven. Both servers must run on Java 17: Kafka 4 needs 17+,
// Cassandra 5.0 accepts only 11 or 17.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors.mjs';

export const REQUIRED_JAVA = 17;
const DEBIAN_JDK17 = '/usr/lib/jvm/java-17-openjdk-amd64';

/** Major version from `java -version` output: "17.0.15" -> 17, "1.8.0_292" -> 8. */
export function parseJavaMajor(versionOutput) {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) {
    return null;
  }
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

/** JAVA_HOME first, then Debian's JDK 17, then `java` on PATH. */
export function javaCandidates(env = process.env) {
  const list = [];
  if (env.JAVA_HOME) {
    list.push({ java: path.join(env.JAVA_HOME, 'bin/java'), source: 'JAVA_HOME' });
  }
  list.push({ java: path.join(DEBIAN_JDK17, 'bin/java'), source: DEBIAN_JDK17 });
  list.push({ java: 'java', source: 'PATH' });
  return list;
}

function probeJava(java) {
  const run = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    return null;
  }
  const major = parseJavaMajor(run.stderr + run.stdout);
  if (major === null) {
    return null;
  }
  // Resolve /usr/bin/java -> /usr/lib/jvm/<jdk>/bin/java to find the JDK home.
  let binary = java;
  if (!java.includes('/')) {
    const which = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' });
    binary = which.stdout.trim();
  }
  const home = path.dirname(path.dirname(fs.realpathSync(binary)));
  return { java: path.join(home, 'bin/java'), home, major };
}

/**
 * The first Java 17 among the candidates: { java, home, major, hasJavac }.
 * Throws a StackError naming what to install otherwise.
 */
export function resolveJava({ candidates = javaCandidates(), probe = probeJava } = {}) {
  const found = [];
  for (const candidate of candidates) {
    const info = probe(candidate.java);
    if (!info) {
      continue;
    }
    if (info.major === REQUIRED_JAVA) {
      return {
        ...info,
        source: candidate.source,
        hasJavac: fs.existsSync(path.join(info.home, 'bin/javac')),
      };
    }
    found.push(`Java ${info.major} (${candidate.source})`);
  }
  const seen = found.length ? ` (found ${found.join(', ')})` : '';
  throw new StackError(
    `Java 17 is required for Kafka and Cassandra${seen}: apt-get install openjdk-17-jdk-headless, or set JAVA_HOME to a JDK 17.`,
  );
}

/** Throws a StackError unless `mvn` runs. */
export function requireMaven({ command = 'mvn', env = process.env } = {}) {
  const run = spawnSync(command, ['-v'], { encoding: 'utf8', env });
  if (run.error || run.status !== 0) {
    throw new StackError('Maven is required to fetch the Kafka and Cassandra jars: apt-get install maven.');
  }
}
