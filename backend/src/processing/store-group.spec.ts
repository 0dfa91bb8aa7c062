import type { KafkaMessage } from 'kafkajs';
import type { KafkaBatch } from './kafka-batch.server.js';
import type { RecordStream } from './record-stream.js';
import { StoreGroup } from './store-group.js';

const batch = { topic: 't', partition: 0, messages: [] } as unknown as KafkaBatch;
const stream = { name: 'users' } as unknown as RecordStream<string>;
const message = (offset: number, bytes = 100) =>
  ({ offset: String(offset), value: Buffer.alloc(bytes) }) as KafkaMessage;
const slicing = { rows: 10, bytes: 1_000 };

/** A group of rows a, b, c whose writes record the slice asked for. */
function groupOfThree(): { group: StoreGroup<string>; written: string[] } {
  const written: string[] = [];
  const group = new StoreGroup(batch, stream, slicing, (_, start, end) => {
    written.push(`${start}-${end}`);
    return Promise.resolve();
  });
  ['a', 'b', 'c'].forEach((row, i) => group.push(row, message(i)));
  return { group, written };
}

describe('StoreGroup', () => {
  it('hands each write its slice and says when the last rows finished', async () => {
    const { group, written } = groupOfThree();
    expect(group.size).toBe(3);
    await Promise.all([group.write(2, 3), group.write(0, 2)]);
    expect(written).toEqual(['2-3', '0-2']);
    expect([group.rowsDone(1), group.rowsDone(2)]).toEqual([false, true]);
  });

  it("cuts slices at the row limit and at the records' bytes, never below one row", () => {
    const group = new StoreGroup(batch, stream, { rows: 3, bytes: 1_000 }, () => Promise.resolve());
    [100, 100, 100, 100, 600, 500, 2_000, 10].forEach((bytes, i) => group.push(`r${i}`, message(i, bytes)));
    expect(group.sliceEnd(0)).toBe(3); // three rows
    expect(group.sliceEnd(3)).toBe(5); // 100 + 600; the next 500 would pass 1,000 bytes
    expect(group.sliceEnd(5)).toBe(6);
    expect(group.sliceEnd(6)).toBe(7); // one record over the limit still goes, alone
    expect(group.sliceEnd(7)).toBe(8); // the group's end
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
    expect([group.rowsDone(1), group.rowsDone(2)]).toEqual([false, false]);
  });
});
