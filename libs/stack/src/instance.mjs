// Which copy of the stack a command drives. `main` is the one `npm start` uses. `test` is the one `npm test`,
// `npm run test:int` and `npm run test:faults` bring up and tear down: its own ports, data, pids and logs, so
// no test ever touches, stops or restarts the servers of a running `npm start`.
import { StackError } from './errors.mjs';

const INSTANCES = {
  main: { portOffset: 0, dir: '' },
  test: { portOffset: 10_000, dir: 'test' },
};

/** USERSTREAM_STACK=main|test (default main), read each time so a command can switch before it starts. */
export function stackInstance(env = process.env) {
  const name = env.USERSTREAM_STACK || 'main';
  const instance = INSTANCES[name];
  if (!instance) {
    throw new StackError(`USERSTREAM_STACK=${name}: use main or test`);
  }
  return { name, ...instance };
}

/** A server's port in this instance: the main port, or the same one 10,000 higher for the test stack. */
export const instancePort = (base, env = process.env) => base + stackInstance(env).portOffset;
