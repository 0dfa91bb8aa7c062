// Where everything lives. All runtime state is under <repo>/.run (git-ignored).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stackInstance } from './instance.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

export const STACK_DIR = path.resolve(here, '..');
export const REPO_ROOT = path.resolve(STACK_DIR, '../..');
export const ENV_FILE = path.join(REPO_ROOT, 'docker/.env');

const RUN = path.join(REPO_ROOT, '.run');
/** The instance's own state: .run for the main stack, .run/test for the test stack. */
const own = (name) => path.join(RUN, stackInstance().dir, name);

export const paths = {
  run: RUN,
  // fetched jars are shared by every instance
  lib: path.join(RUN, 'lib'),
  maven: path.join(STACK_DIR, 'maven'),
  get logs() {
    return own('logs');
  },
  get pids() {
    return own('pids');
  },
  get kafka() {
    return own('kafka');
  },
  get cassandra() {
    return own('cassandra');
  },
  get postgres() {
    return own('postgres');
  },
  /** The nodes of `stack up --nodes N` (N > 1), each in a folder of its own. */
  get cluster() {
    return own('cluster');
  },
};

export const logFile = (name) => path.join(paths.logs, `${name}.log`);
export const pidFile = (name) => path.join(paths.pids, `${name}.pid`);
