import type { IncomingMessage } from 'node:http';
import { bodyRefusal, hostName, originRefusal } from './request-guard.js';

const policy = { allowedHosts: ['backend'], corsOrigins: ['http://127.0.0.1:3000'] };

describe('hostName', () => {
  it.each([
    ['127.0.0.1:3001', '127.0.0.1'],
    ['LocalHost:3001', 'localhost'],
    ['[::1]:3001', '[::1]'],
    ['backend', 'backend'],
  ])('%s -> %s', (host, name) => {
    expect(hostName(host)).toBe(name);
  });
});

describe('originRefusal', () => {
  it.each([
    ['a loopback host, no origin (curl, the proxy)', { host: '127.0.0.1:3001' }],
    ['localhost', { host: 'localhost:3001' }],
    ['IPv6 loopback', { host: '[::1]:3001' }],
    ['an allowed host name', { host: 'backend:3001' }],
    ['the dashboard origin', { host: '127.0.0.1:3001', origin: 'http://127.0.0.1:3000' }],
    ["the API's own docs page", { host: '127.0.0.1:3001', origin: 'http://127.0.0.1:3001' }],
  ])('lets %s through', (_, headers) => {
    expect(originRefusal(headers, policy)).toBeNull();
  });

  it.each([
    ['a rebinding name', { host: 'evil.example:3001' }, 'does not answer to host "evil.example"'],
    ['no Host header', {}, 'a Host header is required'],
    [
      'another web page',
      { host: '127.0.0.1:3001', origin: 'http://evil.example' },
      'origin http://evil.example',
    ],
    ['a sandboxed page', { host: '127.0.0.1:3001', origin: 'null' }, 'origin "null"'],
    [
      'another port of this machine',
      { host: '127.0.0.1:3001', origin: 'http://127.0.0.1:8080' },
      'not allowed',
    ],
  ])('refuses %s', (_, headers, reason) => {
    expect(originRefusal(headers, policy)).toContain(reason);
  });
});

describe('bodyRefusal', () => {
  const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

  it('takes JSON bodies and requests without a body', () => {
    expect(
      bodyRefusal(req({ 'content-type': 'application/json; charset=utf-8', 'content-length': '2' })),
    ).toBeNull();
    expect(bodyRefusal(req({}))).toBeNull();
    expect(bodyRefusal(req({ 'content-type': 'text/plain', 'content-length': '0' }))).toBeNull();
  });

  it.each([
    ['a form', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '7' }],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x', 'transfer-encoding': 'chunked' }],
    ['text', { 'content-type': 'text/plain', 'content-length': '2' }],
    ['an untyped body', { 'content-length': '2' }],
  ])('refuses %s', (_, headers) => {
    expect(bodyRefusal(req(headers))).toMatch(/only application\/json/);
  });
});
