import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ApiError, type StoredUser, UserDetail, UserPage, UserStats } from '@userstream/contracts';
import { intConfig } from '../../int-env.js';
import { createApp } from '#src/bootstrap.js';
import { maskStoredUser } from '#src/common/personal-data.js';
import { SyntheticSource } from '#src/ingestion/sources/synthetic/synthetic.source.js';
import { transformUser } from '#src/processing/user-transform.js';
import { toStoredUser, type UserRow } from '#src/users/user-row.js';
import { AppConfig } from '#src/config/app-config.js';
import { KafkaProducerService } from '#src/kafka/kafka-producer.service.js';
import type { Kafka } from 'kafkajs';
import { UsersSearchIndexer } from '#src/users/users-search.indexer.js';
import { KAFKA } from '#src/kafka/kafka.client.js';
import { UsersRepository } from '#src/users/users.repository.js';

const USERS = 5_000;

type Query = Record<string, string | number>;

/**
 * What the SAI index options do to text, as verified on Cassandra 5.0.6: lower-case, NFC, then ASCII folding
 * of precomposed Latin letters ("Zoë" -> "zoe", "ı" -> "i", "ß" -> "ss"). A combining mark left after NFC
 * stays ("İ" lower-cases to "i" + U+0307, so "İbrahim" does not match "ibrahim"); other scripts only change
 * case. The test computes expected results with it, independently of Cassandra.
 */
const FOLDED: Record<string, string> = {
  ı: 'i',
  ø: 'o',
  đ: 'd',
  æ: 'ae',
  ß: 'ss',
  ł: 'l',
  œ: 'oe',
  '’': "'",
};
function fold(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase().normalize('NFC')) {
    const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += FOLDED[ch] ?? (ch < '\u0250' && bare.length > 0 ? bare : ch);
  }
  return out;
}

const sameText = (a: string | null, b: string | number | undefined) =>
  a !== null && b !== undefined && fold(a) === fold(String(b));

/** The users a query must return, decided on the user's own fields. */
function matches(user: UserRow | StoredUser, q: Query): boolean {
  const registered = user.registered === null ? null : new Date(user.registered).getTime();
  const text: [keyof Query, string | null][] = [
    ['country', user.country],
    ['nat', user.nat],
    ['gender', user.gender],
    ['email', user.email],
    ['username', user.username],
    ['firstName', user.firstName],
    ['lastName', user.lastName],
  ];
  return (
    text.every(([name, value]) => q[name] === undefined || sameText(value, q[name])) &&
    (q['runId'] === undefined || user.runId === q['runId']) &&
    (q['ageMin'] === undefined || (user.age !== null && user.age >= Number(q['ageMin']))) &&
    (q['ageMax'] === undefined || (user.age !== null && user.age <= Number(q['ageMax']))) &&
    (q['registeredFrom'] === undefined ||
      (registered !== null && registered >= Date.parse(String(q['registeredFrom'])))) &&
    (q['registeredTo'] === undefined ||
      (registered !== null && registered <= Date.parse(String(q['registeredTo']))))
  );
}

describe('users query API over Cassandra SAI', () => {
  let app: INestApplication;
  let repository: UsersRepository;
  let rows: UserRow[];
  let statsBefore: UserStats;
  const runId = randomUUID();
  const http = () => request(app.getHttpServer());

  /** Unmasked (AUTH_MODE=none: the local admin), so results can be checked against the stored values. */
  const getPage = async (query: Query) =>
    UserPage.parse(
      (
        await http()
          .get('/api/users')
          .query({ unmasked: 'true', ...query })
          .expect(200)
      ).body,
    );

  /** Follows the cursor to the end; every id once, every page within the limit. */
  async function searchAll(query: Query, limit = 200): Promise<StoredUser[]> {
    const items: StoredUser[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const page = await getPage({ ...query, limit, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) {
        break;
      }
    }
    expect(cursor).toBeNull();
    expect(new Set(items.map((user) => user.id)).size).toBe(items.length);
    return items;
  }

  const expectedIds = (query: Query) =>
    rows
      .filter((row) => matches(row, query))
      .map((row) => row.id)
      .sort();
  const idsOf = (items: StoredUser[]) => items.map((user) => user.id).sort();

  const error = async (path: string, query: Query, status: number) =>
    ApiError.parse((await http().get(path).query(query).expect(status)).body);

  beforeAll(async () => {
    app = await createApp(intConfig({ APP_ROLE: 'api' }));
    await app.init();
    repository = app.get(UsersRepository);
    // the first start on a keyspace indexes and counts the rows stored before users_search existed
    await app.get(UsersSearchIndexer).backfilled();
    statsBefore = UserStats.parse((await http().get('/api/users/stats').expect(200)).body);
    // a fresh seed: ids no other run of this test wrote, so the stats grow by exactly these users
    const raws = await new SyntheticSource({ seed: `users-int-${runId}` }).next(USERS);
    const now = new Date();
    rows = raws.map((raw) => {
      const result = transformUser(raw, { source: 'synthetic', runId, ingestedAt: now }, now);
      if (!result.ok) {
        throw new Error(result.reason);
      }
      return result.user;
    });
    await repository.upsertMany(rows);
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('GET /api/users/:id', () => {
    it('returns the stored user, field for field, when unmasked; personal fields masked by default', async () => {
      for (const row of [rows[0]!, rows[1234]!, rows[USERS - 1]!]) {
        const path = `/api/users/${row.id}`;
        const clear = UserDetail.parse((await http().get(path).query({ unmasked: 'true' }).expect(200)).body);
        expect(clear).toEqual({ ...toStoredUser(row), masked: false });
        const masked = UserDetail.parse((await http().get(path).expect(200)).body);
        expect(masked).toEqual({ ...maskStoredUser(toStoredUser(row)), masked: true });
      }
    });

    it('is 404 USER_NOT_FOUND for an unknown id, 400 for an id that cannot be one', async () => {
      expect(await error(`/api/users/${randomUUID()}`, {}, 404)).toMatchObject({ code: 'USER_NOT_FOUND' });
      for (const id of ["' OR 1=1 --", "'; DROP TABLE users; --", 'x'.repeat(129), 'a b', 'ä\u0000']) {
        expect(await error(`/api/users/${encodeURIComponent(id)}`, {}, 400)).toMatchObject({
          code: 'VALIDATION_FAILED',
        });
      }
      expect((await http().get('/api/users/%E0%A4%A').expect(400)).body).toMatchObject({ statusCode: 400 });
    });
  });

  describe('GET /api/users filters', () => {
    it('returns exactly the users of a run, across pages without gaps or repeats', async () => {
      const items = await searchAll({ runId }, 200);
      expect(items).toHaveLength(USERS);
      expect(idsOf(items)).toEqual(rows.map((row) => row.id).sort());
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const item of items.slice(0, 50)) {
        expect(item).toEqual(toStoredUser(byId.get(item.id)!));
      }
      // the same page without asking: masked, and the cursor serves both views
      const masked = UserPage.parse(
        (await http().get('/api/users').query({ runId, limit: 50 }).expect(200)).body,
      );
      expect(masked.masked).toBe(true);
      for (const item of masked.items) {
        expect(item).toEqual(maskStoredUser(toStoredUser(byId.get(item.id)!)));
      }
      const next = await getPage({ runId, limit: 50, cursor: masked.nextCursor! });
      expect(next.masked).toBe(false);
      expect(next.items).toHaveLength(50);
    });

    it('pages an odd page size through a filtered result, every page full but the last', async () => {
      const query = { runId, gender: 'female' };
      const limit = 137;
      const items: StoredUser[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await getPage({ ...query, limit, ...(cursor ? { cursor } : {}) });
        items.push(...page.items);
        sizes.push(page.items.length);
        cursor = page.nextCursor;
      } while (cursor);
      const expected = expectedIds(query);
      expect(idsOf(items)).toEqual(expected);
      expect(new Set(items.map((user) => user.id)).size).toBe(items.length);
      // a full last page may be followed by an empty one: the driver cannot know it was the last
      const full = sizes.filter((size) => size === limit).length;
      expect(full).toBe(Math.floor(expected.length / limit));
    });

    it('serves each filter, combined with the run, exactly', async () => {
      const a = rows[7]!;
      const b = rows[42]!;
      const registered = rows.map((row) => row.registered!.toISOString()).sort();
      const cases: Query[] = [
        { country: a.country! },
        { nat: a.nat! },
        { nat: a.nat!.toLowerCase() },
        { gender: 'male' },
        { ageMin: 60 },
        { ageMax: 25 },
        { ageMin: 30, ageMax: 30 },
        { registeredFrom: registered[4000]! },
        { registeredTo: registered[500]! },
        { registeredFrom: registered[1000]!, registeredTo: registered[1500]! },
        { registeredFrom: '2020-01-01', registeredTo: '2020-12-31T23:59:59.999Z' },
        { email: a.email! },
        { username: b.username! },
        { firstName: a.firstName },
        { lastName: b.lastName },
      ];
      for (const filter of cases) {
        const query = { runId, ...filter };
        const expected = expectedIds(query);
        expect(expected.length).toBeGreaterThan(0);
        expect([filter, idsOf(await searchAll(query))]).toEqual([filter, expected]);
      }
    });

    it('serves combinations of filters exactly', async () => {
      const a = rows[99]!;
      const cases: Query[] = [
        { country: a.country!, gender: a.gender! },
        { country: a.country!, gender: 'female', ageMin: 25, ageMax: 45 },
        { nat: a.nat!, registeredFrom: '2015-01-01', registeredTo: '2020-01-01' },
        { gender: 'male', ageMin: 70, registeredFrom: '2018-06-01' },
        { firstName: a.firstName, lastName: a.lastName },
        { lastName: a.lastName, gender: a.gender!, nat: a.nat! },
        {
          country: a.country!,
          nat: a.nat!,
          gender: a.gender!,
          ageMin: a.age!,
          ageMax: a.age!,
          registeredFrom: a.registered!.toISOString(),
          registeredTo: a.registered!.toISOString(),
          email: a.email!,
          username: a.username!,
          firstName: a.firstName,
          lastName: a.lastName,
        },
      ];
      for (const filter of cases) {
        const query = { runId, ...filter };
        const expected = expectedIds(query);
        expect(expected.length).toBeGreaterThan(0);
        expect([filter, idsOf(await searchAll(query))]).toEqual([filter, expected]);
      }
    });

    it('matches names ignoring case and accents, in any script', async () => {
      const accented = rows.find(
        (row) => /^[\p{Script=Latin}\s]+$/u.test(row.firstName) && /[^\x20-\x7e]/.test(row.firstName),
      )!;
      const cyrillic = rows.find((row) => /\p{Script=Cyrillic}/u.test(row.lastName))!;
      expect(accented).toBeDefined();
      expect(cyrillic).toBeDefined();
      const plain = accented.firstName.normalize('NFD').replace(/\p{M}/gu, '');
      for (const firstName of [plain.toLowerCase(), plain.toUpperCase(), accented.firstName.toUpperCase()]) {
        const items = await searchAll({ runId, firstName });
        expect(idsOf(items)).toContain(accented.id);
        expect(idsOf(items)).toEqual(expectedIds({ runId, firstName }));
      }
      for (const lastName of [cyrillic.lastName.toUpperCase(), cyrillic.lastName.toLowerCase()]) {
        const items = await searchAll({ runId, lastName });
        expect(idsOf(items)).toContain(cyrillic.id);
        expect(idsOf(items)).toEqual(expectedIds({ runId, lastName }));
      }
    });

    it('serves filters without the run too: every result matches, none of the run is missing', async () => {
      const a = rows[321]!;
      const queries: Query[] = [
        { email: a.email!.toUpperCase() },
        { username: a.username! },
        { firstName: a.firstName, lastName: a.lastName, ageMin: a.age!, ageMax: a.age! },
      ];
      for (const query of queries) {
        const items = await searchAll(query);
        expect(items.length).toBeGreaterThan(0);
        for (const item of items) {
          expect([query, item.id, matches(item, query)]).toEqual([query, item.id, true]);
        }
        expect(idsOf(items)).toEqual(expect.arrayContaining(expectedIds(query)));
      }
    });
  });

  describe('GET /api/users cursors and validation', () => {
    it('refuses a tampered, forged or moved cursor with 400 INVALID_CURSOR, never 5xx', async () => {
      const query = { runId, gender: 'female', limit: 10 };
      const { nextCursor } = await getPage(query);
      expect(nextCursor).toEqual(expect.any(String));
      const cursor = nextCursor!;
      const [state, mac] = cursor.split('.') as [string, string];
      const flip = (text: string, at: number) =>
        text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
      const bad = [
        `${flip(state, 0)}.${mac}`,
        `${flip(state, state.length - 1)}.${mac}`,
        `${state}.${flip(mac, 5)}`,
        `${Buffer.from('forged page state').toString('base64url')}.${mac}`,
      ];
      for (const tampered of bad) {
        expect(await error('/api/users', { ...query, cursor: tampered }, 400)).toMatchObject({
          code: 'INVALID_CURSOR',
        });
      }
      // reused with other filters
      const others: Query[] = [
        { runId, gender: 'male' },
        { runId },
        { runId, gender: 'female', ageMin: 1 },
        {},
      ];
      for (const other of others) {
        expect(await error('/api/users', { ...other, limit: 10, cursor }, 400)).toMatchObject({
          code: 'INVALID_CURSOR',
        });
      }
      // malformed text is refused by validation before any signature check
      expect(await error('/api/users', { ...query, cursor: 'not a cursor' }, 400)).toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      // the same search may change its page size
      const next = await getPage({ ...query, limit: 25, cursor });
      expect(next.items).toHaveLength(25);
    });

    it.each([
      [{ countri: 'France' }, '(root)'],
      [{ ageMin: 50, ageMax: 40 }, 'ageMin'],
      [{ registeredFrom: '2020-02-30' }, 'registeredFrom'],
      [{ registeredTo: '12/31/2020' }, 'registeredTo'],
      [{ registeredFrom: '2021-01-01', registeredTo: '2020-01-01' }, 'registeredFrom'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 201 }, 'limit'],
      [{ ageMin: -1 }, 'ageMin'],
      [{ nat: 'GBR' }, 'nat'],
      [{ country: 'x'.repeat(65) }, 'country'],
      [{ runId: "' OR 1=1 --" }, 'runId'],
    ])('refuses %j with a 400 naming %s', async (query, field) => {
      const body = await error('/api/users', query, 400);
      expect(body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ field })],
      });
    });

    it('refuses a repeated parameter', async () => {
      const body = (await http().get('/api/users?gender=male&gender=female').expect(400)).body;
      expect(body).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('takes injection attempts and odd unicode as plain values: no match, or a 400 for over-long ones', async () => {
      const values = [
        "' OR 1=1 --",
        "'; DROP TABLE users; --",
        '" OR ""="',
        "Zoë'); DELETE FROM users WHERE id = '1",
        '\\x27 OR token(id) > 0',
        '𝓤𝓷𝓲𝓬𝓸𝓭𝓮 🙂 ٩(◕‿◕)۶',
        'ﬁ ligature İ ß',
        '% _ * ? $ { } [ ]',
      ];
      for (const value of values) {
        for (const name of ['email', 'username', 'firstName', 'lastName', 'country', 'gender']) {
          for (const query of [{ [name]: value }, { runId, [name]: value }]) {
            const res = await http().get('/api/users').query(query);
            // gender (32) and username (64) are shorter than some of these: refused as too long, nothing else
            const answer =
              res.status === 200 ? UserPage.parse(res.body).items : ApiError.parse(res.body).details;
            const expected =
              value.length > (name === 'gender' ? 32 : name === 'username' ? 64 : 100)
                ? [{ field: name, message: expect.any(String) }]
                : [];
            expect([query, res.status, answer]).toEqual([query, expected.length ? 400 : 200, expected]);
          }
        }
      }
      expect(await repository.countByRun(runId)).toBe(USERS);
    });
  });

  describe('GET /api/users/stats', () => {
    it('counts the new users by country, gender and nationality, and redelivery changes nothing', async () => {
      const after = UserStats.parse((await http().get('/api/users/stats').expect(200)).body);
      expect(after.total - statsBefore.total).toBe(USERS);
      const delta = (group: 'byCountry' | 'byGender' | 'byNationality') => {
        const before = new Map(statsBefore[group].buckets.map(({ value, count }) => [value, count]));
        return Object.fromEntries(
          after[group].buckets
            .map(({ value, count }) => [value, count - (before.get(value) ?? 0)] as const)
            .filter(([, count]) => count !== 0),
        );
      };
      const tally = (field: 'country' | 'gender' | 'nat') => {
        const counts: Record<string, number> = {};
        for (const row of rows) {
          counts[row[field]!] = (counts[row[field]!] ?? 0) + 1;
        }
        return counts;
      };
      expect(delta('byCountry')).toEqual(tally('country'));
      expect(delta('byGender')).toEqual(tally('gender'));
      expect(delta('byNationality')).toEqual(tally('nat'));
      for (const group of ['byCountry', 'byGender', 'byNationality'] as const) {
        const { buckets, other, none } = after[group];
        expect(none).toBe(statsBefore[group].none);
        expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0) + other + none).toBe(after.total);
      }

      // the processor redelivering every record rewrites the same rows: nothing is counted twice
      const later = new Date();
      await repository.upsertMany(rows.map((row) => ({ ...row, processedAt: later })));
      const again = UserStats.parse((await http().get('/api/users/stats').expect(200)).body);
      expect({ ...again, computedAt: '' }).toEqual({ ...after, computedAt: '' });
    });
  });

  describe('search indexer', () => {
    it('indexes and counts a user the processor published, behind the ingest write', async () => {
      const indexer = app.get(UsersSearchIndexer);
      await indexer.joined;
      const stored = { ...rows[0]!, id: randomUUID(), email: `indexer-${randomUUID()}@example.com` };
      // what the processor does: the row through `upsert` (no search entry), then the processed record
      await repository.upsert(stored);
      expect((await getPage({ email: stored.email })).items).toEqual([]);
      const before = UserStats.parse((await http().get('/api/users/stats').expect(200)).body).total;
      const producer = app.get(KafkaProducerService);
      const topic = app.get(AppConfig).kafka.topics.processedUsers;
      let found: StoredUser[] = [];
      // sent again until seen: a group's first join starts at the latest offset, which may follow the first send
      for (let attempt = 0; attempt < 20 && found.length === 0; attempt++) {
        if (attempt % 5 === 0) {
          await producer.send(topic, [{ key: stored.id, value: JSON.stringify(toStoredUser(stored)) }]);
        }
        await sleep(1_000);
        found = (await getPage({ email: stored.email.toUpperCase() })).items;
      }
      expect(found).toEqual([toStoredUser(stored)]);
      const after = UserStats.parse((await http().get('/api/users/stats').expect(200)).body).total;
      expect(after - before).toBe(1);
      // and commits what it indexed, so a restart resumes there instead of skipping to the latest offset
      const admin = app.get<Kafka>(KAFKA).admin();
      await admin.connect();
      try {
        const [committed] = await admin.fetchOffsets({ groupId: indexer.groupId, topics: [topic] });
        expect(committed!.partitions.some(({ offset }) => Number(offset) > 0)).toBe(true);
      } finally {
        await admin.disconnect();
      }
    }, 60_000);
  });
});
