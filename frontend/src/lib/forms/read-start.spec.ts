import { parseSearch, DEFAULT_SEARCH } from './message-search';
import { readStartParams } from './read-start';
import { DEFAULT_BROWSE, parseBrowse } from './topic-forms';

const fields = { partition: '2', offset: ' 40 ', time: '2026-12-01T10:00:00', order: 'newest' as const };

describe('where a read starts', () => {
  it('gives the position parameters of each start', () => {
    expect(readStartParams('newest', fields)).toEqual({ ok: true, params: { direction: 'newest' } });
    expect(readStartParams('oldest', fields)).toEqual({ ok: true, params: { direction: 'forward' } });
    expect(readStartParams('offset', fields)).toEqual({
      ok: true,
      params: { offset: '40', direction: 'newest' },
    });
    // local time, as the browser's input gives it, goes out as an instant
    expect(readStartParams('timestamp', fields)).toEqual({
      ok: true,
      params: { timestamp: new Date('2026-12-01T10:00:00').toISOString(), direction: 'newest' },
    });
  });

  it('names the field at fault', () => {
    expect(readStartParams('offset', { ...fields, partition: '' })).toMatchObject({
      ok: false,
      field: 'partition',
    });
    expect(readStartParams('offset', { ...fields, offset: '  ' })).toMatchObject({
      ok: false,
      field: 'offset',
    });
    expect(readStartParams('timestamp', { ...fields, time: '' })).toMatchObject({ ok: false, field: 'time' });
    expect(readStartParams('timestamp', { ...fields, time: 'soon' })).toMatchObject({
      ok: false,
      field: 'time',
    });
  });

  it('reports a bad time under the field of each form', () => {
    expect(parseBrowse({ ...DEFAULT_BROWSE, mode: 'timestamp' })).toEqual({
      ok: false,
      errors: { timestamp: 'Pick a date and time' },
    });
    expect(parseSearch({ ...DEFAULT_SEARCH, start: 'timestamp' })).toEqual({
      ok: false,
      errors: { at: 'Pick a date and time' },
    });
    const browse = parseBrowse({ ...DEFAULT_BROWSE, mode: 'offset', partition: '0', offset: '7' });
    expect(browse.ok && Object.fromEntries(browse.value)).toEqual({
      limit: '20',
      partition: '0',
      offset: '7',
      direction: 'forward',
    });
  });
});
