import { jest } from '@jest/globals';
import { LIVE_BATCH_CAP, type LiveUsersBatch, type StoredUser } from '@userstream/contracts';
import { LiveEmitter } from './live.emitter.js';
import { LiveStreamService } from './live-stream.service.js';
import { storedUser } from '../../test/stored-user.js';

const user = (i: number, fields: Partial<StoredUser> = {}): StoredUser =>
  storedUser({
    id: `user-${i}`,
    firstName: `First${i}`,
    lastName: 'Last',
    country: 'France',
    nat: 'FR',
    source: 'synthetic',
    runId: '6f1c7a3e-4a7b-4c2e-9d7e-0a1b2c3d4e5f',
    processedAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  });

const MASKED = { masked: true };
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

function setup() {
  const sent: { room: string; batch: LiveUsersBatch }[] = [];
  const emitter = new LiveEmitter();
  jest.spyOn(emitter, 'toRoom').mockImplementation((room, event, ...args) => {
    if (event === 'users') {
      sent.push({ room, batch: args[0] as LiveUsersBatch });
    }
  });
  const service = new LiveStreamService(emitter);
  return { service, sent };
}

describe('LiveStreamService', () => {
  it('sends each room the users matching its filter, once per flush', () => {
    const { service, sent } = setup();
    const all = service.subscribe('a', {}, MASKED).room;
    const french = service.subscribe('b', { country: 'fr' }, MASKED).room;
    const spain = service.subscribe('c', { country: 'Spain' }, MASKED).room;
    service.add(encode(user(1)));
    service.add(encode(user(2, { country: 'Spain', nat: 'ES' })));
    service.flush();
    const byRoom = new Map(sent.map(({ room, batch }) => [room, batch]));
    expect(byRoom.get(all)?.users.map((u) => u.id)).toEqual(['user-1', 'user-2']);
    expect(byRoom.get(french)?.users.map((u) => u.id)).toEqual(['user-1']);
    expect(byRoom.get(spain)).toMatchObject({ sampled: 1, dropped: 0, total: 1 });
    sent.length = 0;
    service.flush();
    expect(sent).toEqual([]);
  });

  it('shares a room between sockets with the same filter and forgets it when the last one leaves', () => {
    const { service, sent } = setup();
    const first = service.subscribe('a', { country: 'France' }, MASKED);
    const second = service.subscribe('b', { country: 'FRANCE' }, MASKED);
    expect(second.room).toBe(first.room);
    expect(service.unsubscribe('a')).toBe(first.room);
    service.add(encode(user(1)));
    service.flush();
    expect(sent).toHaveLength(1);
    service.unsubscribe('b');
    service.add(encode(user(2)));
    service.flush();
    expect(sent).toHaveLength(1);
  });

  it('re-subscribing moves a socket to the new room and says which one to leave', () => {
    const { service } = setup();
    const first = service.subscribe('a', {}, MASKED);
    const second = service.subscribe('a', { runId: '6f1c7a3e-4a7b-4c2e-9d7e-0a1b2c3d4e5f' }, MASKED);
    expect(second.left).toBe(first.room);
    expect(
      service.subscribe('a', { runId: '6f1c7a3e-4a7b-4c2e-9d7e-0a1b2c3d4e5f' }, MASKED).left,
    ).toBeUndefined();
  });

  it('above the cap sends a sample of the cap and says how it sampled', () => {
    const { service, sent } = setup();
    service.subscribe('a', {}, MASKED);
    for (let i = 0; i < 1_000; i++) {
      service.add(encode(user(i)));
    }
    service.flush();
    expect(sent[0]!.batch.users).toHaveLength(LIVE_BATCH_CAP);
    expect(sent[0]!.batch).toMatchObject({ total: 1_000, dropped: 1_000 - LIVE_BATCH_CAP, sampled: 5 });
  });

  it('counts every record, and skips what is not a stored user without failing', () => {
    const { service, sent } = setup();
    service.subscribe('a', {}, MASKED);
    service.add(Buffer.from('not json'));
    service.add(encode({ id: 1 }));
    service.add(null);
    service.add(encode(user(1)));
    service.flush();
    expect(service.receivedTotal).toBe(4);
    expect(sent[0]!.batch).toMatchObject({ total: 3, dropped: 2 });
    expect(sent[0]!.batch.users.map((u) => u.id)).toEqual(['user-1']);
  });

  it("masks personal fields unless the subscription is an admin's unmasked one, in rooms of their own", () => {
    const { service, sent } = setup();
    const masked = service.subscribe('viewer', {}, MASKED).room;
    const unmasked = service.subscribe('admin', {}, { masked: false }).room;
    expect(unmasked).not.toBe(masked);
    const personal = {
      email: 'ada@example.com',
      phone: '555-0101',
      street: '1 Main St',
      latitude: 1.5,
      dob: '1990-01-01',
    };
    service.add(encode(user(1, personal)));
    service.flush();
    const byRoom = new Map(sent.map(({ room, batch }) => [room, batch]));
    expect(byRoom.get(masked)).toMatchObject({ masked: true });
    expect(byRoom.get(masked)?.users[0]).toMatchObject({
      email: 'a***@example.com',
      phone: '***-****',
      street: '***',
      latitude: null,
      dob: null,
    });
    expect(byRoom.get(unmasked)).toMatchObject({ masked: false, users: [expect.objectContaining(personal)] });
  });
});
