// Process bookkeeping through /proc: pid files that identify a process by pid,
// kernel start time and a command-line marker, so a recycled pid is never signalled.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { retry } from './wait.mjs';

function readProc(pid, file) {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return null;
  }
}

/** Fields of /proc/<pid>/stat after the "(comm)" part, which may contain spaces. */
export function parseStat(text) {
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), rest[1] field 4 (ppid); field 22 (starttime, clock ticks since boot) is rest[19].
  return { state: rest[0], ppid: Number(rest[1]), startTicks: Number(rest[19]) };
}

/** A "Key:   123 kB" field of /proc/<pid>/status, in kB (VmRSS now, VmHWM peak). */
export function parseStatusKb(statusText, key) {
  const match = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(statusText);
  return match ? Number(match[1]) : null;
}

export function procStat(pid) {
  const text = readProc(pid, 'stat');
  return text ? parseStat(text) : null;
}

export function cmdline(pid) {
  const text = readProc(pid, 'cmdline');
  return text ? text.split('\0').filter(Boolean) : null;
}

/** Resident memory now and at its peak, in bytes. */
export function memory(pid) {
  const text = readProc(pid, 'status');
  const bytes = (key) => {
    const kb = text ? parseStatusKb(text, key) : null;
    return kb === null ? null : kb * 1024;
  };
  return { rssBytes: bytes('VmRSS'), peakRssBytes: bytes('VmHWM') };
}

/** Alive and not a zombie waiting to be reaped. */
export function isAlive(pid) {
  const stat = procStat(pid);
  return Boolean(stat) && stat.state !== 'Z' && stat.state !== 'X';
}

/** The record's process is still the one we started: same start time, marker as one of its arguments. */
export function isOurs(record, proc = { procStat, cmdline }) {
  if (!record?.pid) {
    return false;
  }
  const stat = proc.procStat(record.pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') {
    return false;
  }
  if (record.startTicks !== undefined && stat.startTicks !== record.startTicks) {
    return false;
  }
  const args = proc.cmdline(record.pid);
  return Boolean(args?.includes(record.marker));
}

let clockTicks;
function ticksPerSecond() {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100; // the Linux default (USER_HZ)
    }
  }
  return clockTicks;
}

/** Epoch milliseconds at which the process started. */
export function startTimeMs(pid) {
  const stat = procStat(pid);
  const boot = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
  if (!stat || !boot) {
    return null;
  }
  return Number(boot[1]) * 1000 + (stat.startTicks * 1000) / ticksPerSecond();
}

export function readPidFile(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

export function writePidFile(file, record) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
}

export function removeFile(file) {
  fs.rmSync(file, { force: true });
}

/** Builds the pid-file record of a freshly started process. */
export function recordFor(pid, marker, extra = {}) {
  return { pid, marker, startTicks: procStat(pid)?.startTicks, startedAt: Date.now(), ...extra };
}

/** Runs a command to completion without blocking the event loop: { status, output } (stdout and stderr merged). */
export function runCommand(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (err) => resolve({ status: null, output: err.message }));
    child.on('close', (status) => resolve({ status, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** Keeps the previous log as <file>.1 and opens a fresh one. */
export function openLog(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file)) {
    fs.renameSync(file, `${file}.1`);
  }
  return fs.openSync(file, 'a');
}

/**
 * Starts a process in its own process group with output to `logFile`, not tied
 * to this Node process: it keeps running after the CLI exits.
 */
export function spawnDetached(command, args, { logFile, cwd, env }) {
  const fd = openLog(logFile);
  try {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    return child;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Sends `signal` to the recorded process, waits up to `graceMs`, then SIGKILLs it.
 * Returns 'stopped', 'killed' or 'not-running' (nothing of ours to signal).
 */
export async function terminate(record, { signal = 'SIGTERM', graceMs = 30_000 } = {}) {
  if (!isOurs(record)) {
    return 'not-running';
  }
  process.kill(record.pid, signal);
  const gone = (outcome) => () => (isAlive(record.pid) ? undefined : outcome);
  const stopped = await retry(gone('stopped'), { everyMs: 200, timeoutMs: graceMs });
  if (stopped) {
    return stopped;
  }
  if (isOurs(record)) {
    process.kill(record.pid, 'SIGKILL');
  }
  return retry(gone('killed'), { everyMs: 100 });
}

/** Inodes of sockets listening on `port` (IPv4 or IPv6), from /proc/net/tcp{,6} text. */
export function listeningInodes(tableText, port) {
  const inodes = [];
  for (const line of tableText.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10) {
      continue;
    }
    const localPort = parseInt(cols[1].split(':').pop(), 16);
    if (localPort === port && cols[3] === '0A' /* LISTEN */) {
      inodes.push(cols[9]);
    }
  }
  return inodes;
}

/** Pids of the processes holding one of these socket inodes. */
function socketHolders(inodes) {
  const holders = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    let fds;
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${entry}/fd/${fd}`));
        return Boolean(match && inodes.has(match[1]));
      } catch {
        return false;
      }
    });
    if (holds) {
      holders.push(Number(entry));
    }
  }
  return holders;
}

/**
 * Pid of the process listening on `port`, or null when unknown (or not visible to us).
 * Forked children can share the socket (a PostgreSQL backend right after fork): take the ancestor.
 */
export function portOwner(port) {
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      listeningInodes(fs.readFileSync(table, 'utf8'), port).forEach((inode) => inodes.add(inode));
    } catch {
      // table absent (no IPv6): nothing listens there
    }
  }
  if (inodes.size === 0) {
    return null;
  }
  const holders = socketHolders(inodes);
  return holders.find((pid) => !holders.includes(procStat(pid)?.ppid)) ?? holders[0] ?? null;
}

/** "pid 123 (java ... kafka.Kafka)" for messages. */
export function describeProcess(pid) {
  if (!pid) {
    return 'an unknown process';
  }
  const args = cmdline(pid) ?? [];
  const summary = args.length > 3 ? `${path.basename(args[0])} ... ${args.at(-1)}` : args.join(' ');
  return `pid ${pid} (${summary || 'command line not readable'})`;
}
