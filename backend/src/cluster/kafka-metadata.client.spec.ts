import { int16, int32, string16 } from '#src/kafka/kafka-wire.js';
import { decodeMetadataResponse, encodeMetadataRequest } from './kafka-metadata.client.js';

const nullString = int16(-1);
const ids = (values: number[]) => Buffer.concat([int32(values.length), ...values.map(int32)]);

describe('Metadata v5 codec', () => {
  it('asks for every topic without creating any', () => {
    const frame = encodeMetadataRequest(9, 'us');
    const expected = Buffer.concat([
      int16(3),
      int16(5),
      int32(9),
      string16('us'),
      int32(-1),
      Buffer.from([0]),
    ]);
    expect(frame.readInt32BE(0)).toBe(expected.length);
    expect(frame.subarray(4)).toEqual(expected);
  });

  it('decodes brokers, controller and partitions, a leaderless one with its error and offline replicas included', () => {
    const payload = Buffer.concat([
      int32(9),
      int32(0),
      int32(2),
      ...[
        [1, 9092, 'r1'],
        [2, 9094, null],
      ].flatMap(([id, port, rack]) => [
        int32(id as number),
        string16('127.0.0.1'),
        int32(port as number),
        rack === null ? nullString : string16(rack as string),
      ]),
      string16('cluster-a'),
      int32(2),
      int32(1),
      int16(0),
      string16('orders'),
      Buffer.from([0]),
      int32(2),
      Buffer.concat([int16(0), int32(0), int32(1), ids([1, 2, 3]), ids([1, 2]), ids([3])]),
      // LEADER_NOT_AVAILABLE (5): what makes kafkajs throw for the whole cluster
      Buffer.concat([int16(5), int32(1), int32(-1), ids([3]), ids([3]), ids([3])]),
    ]);
    expect(decodeMetadataResponse(payload)).toEqual({
      correlationId: 9,
      metadata: {
        brokers: [
          { nodeId: 1, host: '127.0.0.1', port: 9092, rack: 'r1' },
          { nodeId: 2, host: '127.0.0.1', port: 9094, rack: null },
        ],
        clusterId: 'cluster-a',
        controllerId: 2,
        topics: [
          {
            errorCode: 0,
            name: 'orders',
            internal: false,
            partitions: [
              {
                errorCode: 0,
                partition: 0,
                leader: 1,
                replicas: [1, 2, 3],
                isr: [1, 2],
                offlineReplicas: [3],
              },
              { errorCode: 5, partition: 1, leader: -1, replicas: [3], isr: [3], offlineReplicas: [3] },
            ],
          },
        ],
      },
    });
  });
});
