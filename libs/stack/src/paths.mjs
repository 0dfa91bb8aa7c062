// Where everything lives. All runtime state is under <repo>/.run (git-ignored).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const STACK_DIR = path.resolve(here, '..');
export const REPO_ROOT = path.resolve(STACK_DIR, '../..');
export const ENV_FILE = path.join(REPO_ROOT, 'docker/.env');

const RUN = path.join(REPO_ROOT, '.run');

export const paths = {
  run: RUN,
  lib: path.join(RUN, 'lib'),
  logs: path.join(RUN, 'logs'),
  pids: path.join(RUN, 'pids'),
  kafka: path.join(RUN, 'kafka'),
  cassandra: path.join(RUN, 'cassandra'),
  postgres: path.join(RUN, 'postgres'),
  maven: path.join(STACK_DIR, 'maven'),
};

export const logFile = (name) => path.join(paths.logs, `${name}.log`);
export const pidFile = (name) => path.join(paths.pids, `${name}.pid`);
