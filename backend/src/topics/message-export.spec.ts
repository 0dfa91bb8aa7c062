import type { BrowsedMessage } from '@userstream/contracts';
import { csvField, exportHeader, exportRow } from './message-export.js';

const message: BrowsedMessage = {
  partition: 1,
  offset: 7,
  timestamp: '2026-01-02T03:04:05.000Z',
  key: { encoding: 'text', data: 'k,1', truncated: false, sizeBytes: 3 },
  value: { encoding: 'json', data: { note: 'say "hi"\nbye' }, truncated: false, sizeBytes: 20 },
  headers: [{ key: 'x-source', value: { encoding: 'text', data: 'api', truncated: false, sizeBytes: 3 } }],
};

describe('export rows', () => {
  it('quotes CSV fields with commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('writes a CSV header and one row per message', () => {
    expect(exportHeader('csv')).toBe('partition,offset,timestamp,key,headers,value\r\n');
    expect(exportRow('csv', message)).toBe(
      '1,7,2026-01-02T03:04:05.000Z,"k,1","{""x-source"":""api""}","{""note"":""say \\""hi\\""\\nbye""}"\r\n',
    );
    expect(exportRow('csv', { ...message, key: null, value: null, headers: [], timestamp: null })).toBe(
      '1,7,,,,\r\n',
    );
  });

  it('writes JSON lines: the message as search returns it', () => {
    expect(exportHeader('jsonl')).toBeNull();
    const line = exportRow('jsonl', message);
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual(message);
  });
});
