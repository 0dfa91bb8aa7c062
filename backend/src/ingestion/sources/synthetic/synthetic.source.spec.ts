import { NATIONALITIES, type Nationality, RawUser } from '@userstream/contracts';
import { transformUser } from '#src/processing/user-transform.js';
import { REFERENCE_YEAR, SyntheticSource, type SyntheticUser } from './synthetic.source.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const meta = { source: 'synthetic', runId: null, ingestedAt: null };

async function take(source: SyntheticSource, count: number): Promise<SyntheticUser[]> {
  return (await source.next(count)) as SyntheticUser[];
}

/** Full years from `iso` to REFERENCE_YEAR-01-01. */
function ageAtReference(iso: string): number {
  const d = new Date(iso);
  const beforeBirthday = d.getUTCMonth() > 0 || d.getUTCDate() > 1 || d.getTime() % 86_400_000 > 0;
  return REFERENCE_YEAR - d.getUTCFullYear() - (beforeBirthday ? 1 : 0);
}

describe('SyntheticSource', () => {
  it('gives the same users for the same seed, however the stream is cut into calls', async () => {
    const a = new SyntheticSource({ seed: 'alpha' });
    const b = new SyntheticSource({ seed: 'alpha' });
    const whole = await take(a, 600);
    const pieces = [...(await take(b, 1)), ...(await take(b, 249)), ...(await take(b, 350))];
    expect(pieces).toEqual(whole);
    expect((await new SyntheticSource({ seed: 'alpha' }).ready()).userAt(417)).toEqual(whole[417]);

    // encoded one at a time, the same stream
    const encoded = new SyntheticSource({ seed: 'alpha' });
    const first = await encoded.nextEncoded(100, (user) => JSON.stringify(user));
    const rest = await encoded.nextEncoded(500, (user) => JSON.stringify(user));
    expect([...first, ...rest]).toEqual(whole.map((user) => JSON.stringify(user)));

    const other = await take(new SyntheticSource({ seed: 'beta' }), 600);
    expect(other.map((u) => u.login.uuid)).not.toEqual(whole.map((u) => u.login.uuid));
  });

  it('pins the stream: the same seed gives these users in any process', async () => {
    // Names come from faker's pools: a faker upgrade that changes them changes every stream, deliberately visible here.
    const source = await new SyntheticSource({ seed: 'pinned' }).ready();
    expect(source.userAt(0)).toMatchObject({
      nat: 'DK',
      name: { first: 'Alberte', last: 'Gregersen' },
      email: 'alberte.gregersen@example.com',
      login: { uuid: '70e6872f-f217-4eb6-8ef4-2b44589596cc', username: 'heavygoose801' },
      dob: { date: '1975-10-28T13:44:45.093Z', age: 50 },
      location: { postcode: 3028, street: { number: 8820, name: 'Rådhusvej' } },
    });
    expect(source.userAt(123_456).login.uuid).toBe('7e4fc605-b0b4-47dc-9c27-3c3f1261cc3a');
  });

  it('emits the API 1.4 shape that RawUser and the transform accept, for 10,000 users', async () => {
    const users = await take(new SyntheticSource({ seed: 'shape' }), 10_000);
    const now = new Date(Date.UTC(REFERENCE_YEAR, 0, 1));
    for (const user of users) {
      expect(RawUser.safeParse(user).success).toBe(true);
      const result = transformUser(user, meta, now);
      if (!result.ok) {
        throw new Error(`${result.reason}: ${JSON.stringify(user)}`);
      }
      expect(result.user.id).toBe(user.login.uuid);
    }

    const user = users[0]!;
    expect(Object.keys(user)).toEqual([
      'gender',
      'name',
      'location',
      'email',
      'login',
      'dob',
      'registered',
      'phone',
      'cell',
      'id',
      'picture',
      'nat',
    ]);
    expect(Object.keys(user.location)).toEqual([
      'street',
      'city',
      'state',
      'country',
      'postcode',
      'coordinates',
      'timezone',
    ]);
    expect(Object.keys(user.login)).toEqual([
      'uuid',
      'username',
      'password',
      'salt',
      'md5',
      'sha1',
      'sha256',
    ]);
  });

  it('fills each field the way the API does', async () => {
    const users = await take(new SyntheticSource({ seed: 'fields' }), 5_000);
    for (const u of users) {
      expect(u.login.uuid).toMatch(UUID_V4);
      expect(u.login.username).toMatch(/^[a-z]+\d{3}$/);
      expect(u.login.md5).toMatch(/^[0-9a-f]{32}$/);
      expect(u.login.sha1).toMatch(/^[0-9a-f]{40}$/);
      expect(u.login.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(u.email).toMatch(/^[a-z0-9]+\.[a-z0-9]+@example\.com$/);
      expect(u.dob.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(u.dob.age).toBeGreaterThanOrEqual(18);
      expect(u.dob.age).toBeLessThanOrEqual(80);
      expect(ageAtReference(u.dob.date)).toBe(u.dob.age);
      expect(ageAtReference(u.registered.date)).toBe(u.registered.age);
      expect(Date.parse(u.registered.date)).toBeGreaterThan(Date.parse(u.dob.date));
      expect(Number(u.location.coordinates.latitude)).toBeLessThanOrEqual(90);
      expect(u.location.coordinates.longitude).toMatch(/^-?\d{1,3}\.\d{4}$/);
      expect(u.location.street.number).toBeGreaterThanOrEqual(1);
      const folder = u.gender === 'male' ? 'men' : 'women';
      expect(u.picture.large).toMatch(
        new RegExp(`^https://randomuser\\.me/api/portraits/${folder}/\\d{1,2}\\.jpg$`),
      );
      expect(u.picture.thumbnail).toMatch(/\/portraits\/thumb\/(men|women)\/\d+\.jpg$/);

      if (u.nat === 'CA') {
        expect(u.location.postcode).toMatch(/^[A-Z]\d[A-Z] \d[A-Z]\d$/);
      } else if (u.nat === 'GB') {
        expect(u.location.postcode).toMatch(/^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/);
      } else if (u.nat === 'NO') {
        expect(u.location.postcode).toMatch(/^\d{4}$/);
      } else {
        expect(typeof u.location.postcode).toBe('number');
      }

      if (['IR', 'NZ', 'TR', 'UA'].includes(u.nat)) {
        expect(u.id).toEqual({ name: '', value: null });
      } else {
        expect(u.id.value).toEqual(expect.any(String));
      }
    }
    expect(users.some((u) => u.nat === 'NO' && String(u.location.postcode).startsWith('0'))).toBe(true);
  });

  it('writes names in their own scripts for some locales', async () => {
    const users = await take(
      new SyntheticSource({ seed: 'scripts', nationalities: ['IR', 'UA', 'TR', 'DE'] }),
      2_000,
    );
    const names = (nat: Nationality) =>
      users.filter((u) => u.nat === nat).map((u) => `${u.name.first} ${u.name.last}`);
    expect(names('IR').every((name) => /[\u0600-\u06ff]/.test(name))).toBe(true);
    expect(names('UA').every((name) => /[\u0400-\u04ff]/.test(name))).toBe(true);
    expect(names('TR').some((name) => /[ıİşŞğĞçÇöÖüÜ]/.test(name))).toBe(true);
    expect(names('DE').some((name) => /[äöüÄÖÜß]/.test(name))).toBe(true);
    // 1.4 writes Ukrainian places in Latin letters.
    expect(users.filter((u) => u.nat === 'UA').every((u) => !/[\u0400-\u04ff]/.test(u.location.city))).toBe(
      true,
    );
  });

  it('spreads users evenly over the nationalities', async () => {
    const users = await take(new SyntheticSource({ seed: 'spread' }), 21_000);
    const counts = new Map<string, number>();
    for (const u of users) {
      counts.set(u.nat, (counts.get(u.nat) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...NATIONALITIES].sort());
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }

    const only = await take(new SyntheticSource({ seed: 'spread', nationalities: ['NO', 'CA'] }), 1_000);
    expect(new Set(only.map((u) => u.nat))).toEqual(new Set(['NO', 'CA']));
    expect(only.map((u) => u.location.country)).toEqual(
      only.map((u) => (u.nat === 'NO' ? 'Norway' : 'Canada')),
    );
  });

  it('never repeats a uuid over 100,000 users', async () => {
    const source = new SyntheticSource({ seed: 'unique' });
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      for (const u of await take(source, 5_000)) {
        seen.add(u.login.uuid);
      }
    }
    expect(seen.size).toBe(100_000);
  });

  it('needs its pools loaded before userAt, which next loads by itself', async () => {
    const source = new SyntheticSource({ seed: 'lazy', nationalities: ['NL'] });
    expect(() => source.userAt(0)).toThrow('before ready()');
    const [first] = (await source.next(1)) as SyntheticUser[];
    expect(source.userAt(0)).toEqual(first);
  });

  it('refuses an aborted call', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new SyntheticSource({ seed: 'x' }).next(10, controller.signal)).rejects.toThrow();
  });

  it('measures its throughput (reported, not asserted)', async () => {
    const source = new SyntheticSource({ seed: 'speed' });
    await source.next(20_000); // warm up the JIT
    const total = 200_000;
    const started = performance.now();
    for (let done = 0; done < total; done += 5_000) {
      await source.next(5_000);
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`SyntheticSource: ${Math.round(total / seconds).toLocaleString('en')} users/s\n`);
  });
});
