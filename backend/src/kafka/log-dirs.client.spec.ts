import { decodeDescribeLogDirsResponse, encodeDescribeLogDirsRequest } from './log-dirs.client.js';

const int16 = (value: number) => Buffer.from([(value >> 8) & 0xff, value & 0xff]);
const int32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};
const int64 = (value: number) => {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(BigInt(value));
  return buffer;
};
const string16 = (value: string) => Buffer.concat([int16(Buffer.byteLength(value)), Buffer.from(value)]);

describe('DescribeLogDirs v1 codec', () => {
  it('encodes the request header and the asked partitions', () => {
    const frame = encodeDescribeLogDirsRequest(7, 'us', [{ topic: 'orders', partitions: [0, 2] }]);
    const expected = Buffer.concat([
      int16(35),
      int16(1),
      int32(7),
      string16('us'),
      int32(1),
      string16('orders'),
      int32(2),
      int32(0),
      int32(2),
    ]);
    expect(frame.readInt32BE(0)).toBe(expected.length);
    expect(frame.subarray(4)).toEqual(expected);
  });

  it('decodes sizes per log dir, topic and partition', () => {
    const partition = (index: number, size: number, future: boolean) =>
      Buffer.concat([int32(index), int64(size), int64(0), Buffer.from([future ? 1 : 0])]);
    const payload = Buffer.concat([
      int32(7),
      int32(0),
      int32(1),
      int16(0),
      string16('/var/kafka'),
      int32(1),
      string16('orders'),
      int32(2),
      partition(0, 4_294_967_296 + 5, false),
      partition(2, 10, true),
    ]);
    expect(decodeDescribeLogDirsResponse(payload)).toEqual({
      correlationId: 7,
      results: [
        {
          errorCode: 0,
          logDir: '/var/kafka',
          partitions: [
            { topic: 'orders', partition: 0, sizeBytes: 4_294_967_301, isFuture: false },
            { topic: 'orders', partition: 2, sizeBytes: 10, isFuture: true },
          ],
        },
      ],
    });
  });
});
