import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestId } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function call(header?: string | string[]) {
  const headers: Record<string, string> = {};
  const req = {
    headers: header === undefined ? {} : { 'x-request-id': header },
  } as unknown as IncomingMessage;
  const res = {
    setHeader: (name: string, value: string) => (headers[name] = value),
  } as unknown as ServerResponse;
  return { id: requestId(req, res), echoed: headers['x-request-id'] };
}

describe('requestId', () => {
  it("keeps a caller's short safe id and echoes it", () => {
    expect(call('edge-7f3a.42:1')).toEqual({ id: 'edge-7f3a.42:1', echoed: 'edge-7f3a.42:1' });
  });

  it.each([
    ['none', undefined],
    ['empty', ''],
    ['too long', 'a'.repeat(65)],
    ['a line break (log injection)', 'abc\ninjected'],
    ['spaces and quotes', 'a "b" c'],
    ['repeated headers', ['a', 'b']],
  ])('generates a UUID for %s', (_, header) => {
    const { id, echoed } = call(header);
    expect(id).toMatch(UUID);
    expect(echoed).toBe(id);
  });
});
