import { RawUserHeaders } from '@userstream/contracts';
import { testMessageHeaders } from './messages.service.js';

describe('testMessageHeaders', () => {
  const forged = {
    [RawUserHeaders.runId]: 'run-1',
    'X-Source': 'randomuser',
    'X-Ingested-At': 'then',
    trace: 't',
  };

  it("drops the pipeline's headers a caller sends, whatever their case", () => {
    expect(testMessageHeaders(forged, null)).toEqual({ trace: 't' });
  });

  it("sets the server's own into a pipeline topic: from the API, at that time, in no run", () => {
    const at = new Date('2026-12-03T09:00:00.000Z');
    expect(testMessageHeaders(forged, at)).toEqual({
      trace: 't',
      [RawUserHeaders.source]: 'api',
      [RawUserHeaders.ingestedAt]: '2026-12-03T09:00:00.000Z',
    });
  });
});
