import { LIVE_BATCH_CAP, type LiveUsersBatch, type StoredUser } from '@userstream/contracts';
import type { LiveEmitter } from './live.gateway.js';
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

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

function setup() {
  const sent: { room: string; batch: LiveUsersBatch }[] = [];
  const emitter: LiveEmitter = {
    toAll: () => undefined,
    toRoom: (room, event, ...args) => {
      if (event === 'users') sent.push({ room, batch: args[0] as LiveUsersBatch });
    },
  };
  const service = new LiveStreamService();
  service.attach(emitter);
  return { service, sent };
}

describe('LiveStreamService', () => {
  it('sends each room the users matching its filter, once per flush', () => {
    const { service, sent } = setup();
    const all = service.subscribe('a', {}).room;
    const french = service.subscribe('b', { country: 'fr' }).room;
    const spain = service.subscribe('c', { country: 'Spain' }).room;
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
    const first = service.subscribe('a', { country: 'France' });
    const second = service.subscribe('b', { country: 'FRANCE' });
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
    const first = service.subscribe('a', {});
    const second = service.subscribe('a', { runId: '6f1c7a3e-4a7b-4c2e-9d7e-0a1b2c3d4e5f' });
    expect(second.left).toBe(first.room);
    expect(service.subscribe('a', { runId: '6f1c7a3e-4a7b-4c2e-9d7e-0a1b2c3d4e5f' }).left).toBeUndefined();
  });

  it('above the cap sends a sample of the cap and says how it sampled', () => {
    const { service, sent } = setup();
    service.subscribe('a', {});
    for (let i = 0; i < 1_000; i++) service.add(encode(user(i)));
    service.flush();
    expect(sent[0]!.batch.users).toHaveLength(LIVE_BATCH_CAP);
    expect(sent[0]!.batch).toMatchObject({ total: 1_000, dropped: 1_000 - LIVE_BATCH_CAP, sampled: 5 });
  });

  it('counts every record, and skips what is not a stored user without failing', () => {
    const { service, sent } = setup();
    service.subscribe('a', {});
    service.add(Buffer.from('not json'));
    service.add(encode({ id: 1 }));
    service.add(null);
    service.add(encode(user(1)));
    service.flush();
    expect(service.receivedTotal).toBe(4);
    expect(sent[0]!.batch).toMatchObject({ total: 3, dropped: 2 });
    expect(sent[0]!.batch.users.map((u) => u.id)).toEqual(['user-1']);
  });
});
