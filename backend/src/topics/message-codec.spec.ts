import { MASK } from '#src/common/personal-data.js';
import { decodePayload } from './message-codec.js';
import { rawUser as user } from '../../test/raw-user.js';

describe('decodePayload', () => {
  it('parses JSON objects and masks them when asked', () => {
    const bytes = Buffer.from(JSON.stringify(user));
    const masked = decodePayload(bytes, { mask: true });
    expect(masked).toMatchObject({ encoding: 'json', truncated: false, sizeBytes: bytes.length });
    expect((masked?.data as typeof user).email).toBe(MASK);
    expect((decodePayload(bytes, { mask: false })?.data as typeof user).email).toBe('ada@example.com');
  });

  it('shows UTF-8 that is not a JSON object or array as text', () => {
    expect(decodePayload(Buffer.from('héllo'), { mask: true })).toEqual({
      encoding: 'text',
      data: 'héllo',
      truncated: false,
      sizeBytes: 6,
    });
    expect(decodePayload(Buffer.from('42'), { mask: true })?.encoding).toBe('text');
    expect(decodePayload(Buffer.from('{not json'), { mask: true })).toMatchObject({
      encoding: 'text',
      data: '{not json',
    });
  });

  it('shows bytes that are not text as base64', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x81, 0x02]);
    expect(decodePayload(bytes, { mask: true })).toEqual({
      encoding: 'base64',
      data: bytes.toString('base64'),
      truncated: false,
      sizeBytes: 4,
    });
    expect(decodePayload(Buffer.from('a\u0001b'), { mask: true })?.encoding).toBe('base64');
  });

  it('cuts large values and says so; a large JSON value is masked before it is cut', () => {
    const big = { email: 'ada@example.com', padding: 'x'.repeat(200) };
    const decoded = decodePayload(Buffer.from(JSON.stringify(big)), { mask: true, limit: 64 });
    expect(decoded).toMatchObject({ encoding: 'text', truncated: true });
    expect(decoded?.data).toBe(JSON.stringify({ ...big, email: MASK }).slice(0, 64));
    const text = decodePayload(Buffer.from('é'.repeat(40)), { mask: false, limit: 7 });
    expect(text).toEqual({ encoding: 'text', data: 'ééé', truncated: true, sizeBytes: 80 });
    const binary = decodePayload(Buffer.alloc(100, 0xff), { mask: false, limit: 10 });
    expect(binary).toMatchObject({ encoding: 'base64', truncated: true, sizeBytes: 100 });
    expect(Buffer.from(binary?.data as string, 'base64')).toHaveLength(10);
  });

  it('keeps null as null', () => {
    expect(decodePayload(null, { mask: true })).toBeNull();
  });
});
