import type { KafkaMessage } from 'kafkajs';
import type { KafkaBatch } from './kafka-batch.server.js';
import type { RecordStream } from './record-stream.js';
import { StoreGroup } from './store-group.js';

const batch = { topic: 't', partition: 0, messages: [] } as unknown as KafkaBatch;
const stream = { name: 'users' } as unknown as RecordStream<string>;
const message = (offset: number) => ({ offset: String(offset) }) as KafkaMessage;

/** A group of rows a, b, c whose writes record the index asked for. */
function groupOfThree(): { group: StoreGroup<string>; written: number[] } {
  const written: number[] = [];
  const group = new StoreGroup(batch, stream, (_, index) => {
    written.push(index);
    return Promise.resolve();
  });
  ['a', 'b', 'c'].forEach((row, i) => group.push(row, message(i)));
  return { group, written };
}

describe('StoreGroup', () => {
  it('hands each write its row index and says which row was the last to finish', async () => {
    const { group, written } = groupOfThree();
    expect(group.size).toBe(3);
    await Promise.all([group.write(2), group.write(0), group.write(1)]);
    expect(written).toEqual([2, 0, 1]);
    expect([group.rowDone(), group.rowDone(), group.rowDone()]).toEqual([false, false, true]);
  });

  it('keeps refused rows out of what was stored and counts them as dead-lettered', () => {
    const { group } = groupOfThree();
    expect(group.storedRows()).toEqual(['a', 'b', 'c']);
    group.refuse(1, Promise.resolve());
    expect(group.storedRows()).toEqual(['a', 'c']);
    expect(group.storedMessages().map(({ offset }) => offset)).toEqual(['0', '2']);
    expect(group.deadLettered).toBe(1);
    expect(group.deadLetters).toHaveLength(1);
  });

  it('settles as what it was given settles', async () => {
    const { group } = groupOfThree();
    group.settle(Promise.resolve());
    await expect(group.settled).resolves.toBeUndefined();
    const failing = groupOfThree().group;
    failing.settle(Promise.reject(new Error('publish gave up')));
    await expect(failing.settled).rejects.toThrow('publish gave up');
  });

  it('once a row gave up, rejects and never calls its last row done', async () => {
    const { group } = groupOfThree();
    group.fail(new Error('stopping'));
    await expect(group.settled).rejects.toThrow('stopping');
    expect([group.rowDone(), group.rowDone(), group.rowDone()]).toEqual([false, false, false]);
  });
});
