// Reading the servers' log files: tails for error messages and `stack logs`.
import fs from 'node:fs';
import { retry } from './wait.mjs';

/** The last `lines` lines of a file ('' when it does not exist). Reads at most the last 256 KiB. */
export function tailFile(file, lines = 40) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    return lastLines(buffer.toString('utf8'), lines);
  } finally {
    fs.closeSync(fd);
  }
}

export function lastLines(text, count) {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.slice(-count).join('\n');
}

/** Prints what is appended to `file` until the process is interrupted. */
export async function followFile(file, write, fromOffset) {
  let offset = fromOffset;
  // an attempt that never returns a value: read every 500 ms, for ever
  await retry(
    () => {
      let size = 0;
      try {
        size = fs.statSync(file).size;
      } catch {
        // not created yet
      }
      if (size < offset) {
        offset = 0;
      } // replaced by a restart
      if (size > offset) {
        const fd = fs.openSync(file, 'r');
        const buffer = Buffer.alloc(size - offset);
        fs.readSync(fd, buffer, 0, buffer.length, offset);
        fs.closeSync(fd);
        write(buffer.toString('utf8'));
        offset = size;
      }
    },
    { everyMs: 500 },
  );
}
