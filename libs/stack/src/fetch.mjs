// Fetches a server's runtime jars from Maven Central into .run/lib/<name>-<version>/
// with maven-dependency-plugin, once: a marker file records a complete fetch.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StackError } from './errors.mjs';
import { requireMaven } from './java.mjs';
import { logFile, paths } from './paths.mjs';
import { openLog } from './procs.mjs';
import { tailFile } from './logs.mjs';
import { mavenDownloads, reportWhile } from './progress.mjs';

const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
const MARKER = '.complete';

export const libDir = (name, version) => path.join(paths.lib, `${name}-${version}`);

/** Reads the marker of a complete fetch, or null. */
export function libInfo(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
  } catch {
    return null;
  }
}

export function mavenArgs({ pom, property, version, outputDir, offline }) {
  // not quiet: its "Downloaded from" lines are what the fetch's progress counts
  return [
    '-B',
    ...(offline ? ['-o'] : []),
    '-f',
    pom,
    `-D${property}=${version}`,
    `${DEPENDENCY_PLUGIN}:copy-dependencies`,
    '-DincludeScope=runtime',
    `-DoutputDirectory=${outputDir}`,
  ];
}

function runMaven(args, { env, log }) {
  return new Promise((resolve) => {
    const fd = openLog(log);
    const child = spawn('mvn', args, { env, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

/** True when the server's artifact is already in the local Maven repository. */
function inLocalRepo(groupPath, artifact, version) {
  return fs.existsSync(path.join(os.homedir(), '.m2/repository', groupPath, artifact, version));
}

function fetchProgress(name, mvnLog) {
  let text = '';
  try {
    text = fs.readFileSync(mvnLog, 'utf8');
  } catch {
    // not written yet
  }
  const { files, bytes } = mavenDownloads(text);
  return files === 0
    ? `${name}: Maven is resolving the jars`
    : `${name}: ${(bytes / 1e6).toFixed(1)} MB in ${files} files fetched from Maven Central so far`;
}

const fetches = new Map();

/**
 * Makes sure .run/lib/<name>-<version>/ holds the jars; returns
 * { dir, fetched, seconds, jars, bytes }. Callers asking at once (the brokers of a cluster start together)
 * share one fetch: two Maven runs into one folder break each other.
 */
export function ensureLib(options) {
  const key = `${options.name}-${options.version}`;
  let fetch = fetches.get(key);
  if (!fetch) {
    fetch = fetchLib(options).finally(() => fetches.delete(key));
    fetches.set(key, fetch);
  }
  return fetch;
}

async function fetchLib({ name, version, property, artifact, javaHome, log }) {
  const dir = libDir(name, version);
  const existing = libInfo(dir);
  if (existing) {
    return { dir, fetched: false, ...existing };
  }

  const env = { ...process.env, JAVA_HOME: javaHome };
  requireMaven({ env });
  const partial = `${dir}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  const mvnLog = logFile(`mvn-${name}`);
  const pom = path.join(paths.maven, name, 'pom.xml');
  const started = Date.now();
  // Offline first when ~/.m2 already has the artifact: no network round trips.
  const offline = inLocalRepo(artifact.groupPath, artifact.id, version);
  log(
    `${name}: fetching ${artifact.id} ${version} jars with Maven${offline ? ' (offline, from ~/.m2)' : ''}`,
  );
  const fetching = (online) =>
    reportWhile(
      runMaven(mavenArgs({ pom, property, version, outputDir: partial, offline: !online }), {
        env,
        log: mvnLog,
      }),
      { log, describe: () => fetchProgress(name, mvnLog) },
    );
  let ok = await fetching(!offline);
  if (!ok && offline) {
    ok = await fetching(true);
  }
  if (!ok) {
    throw new StackError(
      `${name}: Maven could not fetch ${artifact.id} ${version}; see ${mvnLog}\n${tailFile(mvnLog, 20)}`,
    );
  }
  const jars = fs.readdirSync(partial).filter((f) => f.endsWith('.jar'));
  const bytes = jars.reduce((sum, f) => sum + fs.statSync(path.join(partial, f)).size, 0);
  const info = { version, jars: jars.length, bytes, seconds: (Date.now() - started) / 1000 };
  fs.writeFileSync(path.join(partial, MARKER), JSON.stringify(info) + '\n');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(partial, dir);
  log(`${name}: ${jars.length} jars, ${(bytes / 1e6).toFixed(0)} MB fetched in ${info.seconds.toFixed(1)} s`);
  return { dir, fetched: true, ...info };
}
