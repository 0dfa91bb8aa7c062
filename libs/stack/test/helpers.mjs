// Test helpers: a throwaway TCP server on 127.0.0.1 that runs a scripted dialog.
import net from 'node:net';
import { Connection } from '../src/net.mjs';

/** Starts a server whose every connection runs `script(connection)`; resolves with { port, close }. */
export function fakeServer(script) {
  const server = net.createServer((socket) => {
    const connection = new Connection(socket);
    script(connection).catch(() => socket.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ port: server.address().port, close: () => new Promise((done) => server.close(done)) });
    });
  });
}
