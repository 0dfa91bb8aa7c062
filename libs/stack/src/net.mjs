// A minimal promise-based TCP connection for request/response protocols
// (Kafka, CQL, PostgreSQL): write whole messages, read exact byte counts.
import net from 'node:net';

export class Connection {
  #socket;
  #buffer = Buffer.alloc(0);
  #pending = null; // { size, resolve, reject } of the one outstanding read
  #error = null;

  constructor(socket) {
    this.#socket = socket;
    socket.on('data', (chunk) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#drain();
    });
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => this.#fail(new Error('connection closed by the server')));
  }

  write(buffer) {
    this.#socket.write(buffer);
  }

  /** Resolves with exactly `size` bytes. */
  read(size) {
    if (this.#pending) return Promise.reject(new Error('concurrent reads are not supported'));
    return new Promise((resolve, reject) => {
      this.#pending = { size, resolve, reject };
      this.#drain();
    });
  }

  close() {
    this.#socket.destroy();
  }

  #drain() {
    const pending = this.#pending;
    if (!pending) return;
    if (this.#buffer.length >= pending.size) {
      this.#pending = null;
      const out = this.#buffer.subarray(0, pending.size);
      this.#buffer = this.#buffer.subarray(pending.size);
      pending.resolve(out);
    } else if (this.#error) {
      this.#pending = null;
      pending.reject(this.#error);
    }
  }

  #fail(err) {
    this.#error ??= err;
    this.#drain();
  }
}

/** A server accepted the connection but did not finish the exchange in time. */
export class NoAnswer extends Error {}

/**
 * Opens a connection, runs `dialog(connection)` and always closes it. The whole
 * exchange is bounded by `timeoutMs`, so a server that accepts but never answers
 * (a JVM still starting) cannot hang the caller.
 */
export async function withConnection({ host, port, timeoutMs = 3000 }, dialog) {
  const socket = net.connect({ host, port });
  const connection = new Connection(socket);
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      reject(new NoAnswer(`no answer from ${host}:${port} within ${timeoutMs} ms`));
      socket.destroy();
    }, timeoutMs);
  });
  try {
    const connected = new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    await Promise.race([connected, timeout]);
    return await Promise.race([dialog(connection), timeout]);
  } finally {
    clearTimeout(timer);
    connection.close();
  }
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
