import type { Faker } from '@faker-js/faker';
import { COUNTRY_BY_NAT, NATIONALITIES, type Nationality } from '@userstream/contracts';
import { SourceError, type UserSource } from '../user-source.js';
import { type LocaleSpec, LOCALES } from './locale-data.js';
import { codesOf, compile, fromCodes, hashSeed, type Pattern, Sfc32, ZERO } from './sfc32.js';
import {
  PASSWORDS,
  PICTURES_FEMALE,
  PICTURES_MALE,
  POOL_SEED,
  TIMEZONES,
  USERNAME_STEMS,
} from './shared-data.js';
import { capitalise, toAscii, transliterate } from './transliteration.js';

// Hot paths use module-level aliases: looking up a global such as `Math` is slow in vm contexts (Jest's).
const { floor, min } = Math;

/** A user exactly as randomuser.me API 1.4 shapes it. `timezone` and `picture` are shared, frozen objects. */
export interface SyntheticUser {
  gender: 'male' | 'female';
  name: { title: string; first: string; last: string };
  location: {
    street: { number: number; name: string };
    city: string;
    state: string;
    country: string;
    postcode: number | string;
    coordinates: { latitude: string; longitude: string };
    timezone: { offset: string; description: string };
  };
  email: string;
  login: {
    uuid: string;
    username: string;
    password: string;
    salt: string;
    md5: string;
    sha1: string;
    sha256: string;
  };
  dob: { date: string; age: number };
  registered: { date: string; age: number };
  phone: string;
  cell: string;
  id: { name: string; value: string | null };
  picture: { large: string; medium: string; thumbnail: string };
  nat: Nationality;
}

export interface SyntheticSourceOptions {
  seed: string;
  /** Defaults to all 21, drawn with equal probability. */
  nationalities?: Nationality[];
}

/**
 * Generates randomuser.me 1.4 users locally, fast enough for load tests (no network, no rate limit).
 *
 * Deterministic: user k of the stream is a pure function of (seed, nationalities, k), so two instances or two
 * processes with the same seed emit the same users. Ages and dates are computed as of {@link REFERENCE_YEAR}-01-01
 * rather than today for the same reason. Faker only fills per-locale pools, seeded, the first time a
 * nationality is used; each user is then assembled from those pools by a small PRNG reseeded from (seed, k).
 */
export class SyntheticSource implements UserSource {
  readonly kind = 'synthetic' as const;

  private readonly seedWords: readonly [number, number, number, number];
  private readonly nats: readonly Nationality[];
  private pools: readonly LocalePool[] | undefined;
  private loading: Promise<this> | undefined;
  private readonly rng = new Sfc32();
  private index = 0;

  constructor(options: SyntheticSourceOptions) {
    this.seedWords = hashSeed(options.seed);
    const nats = options.nationalities?.length ? [...new Set(options.nationalities)] : [...NATIONALITIES];
    const unknown = nats.filter((nat) => !(NATIONALITIES as readonly string[]).includes(nat));
    if (unknown.length > 0) {
      throw new SourceError(`Unknown nationality ${unknown.join(', ')}`);
    }
    this.nats = nats;
  }

  /** Loads the nationalities' pools (their faker locales, the first time); `next` does it by itself. */
  ready(): Promise<this> {
    this.loading ??= Promise.all(this.nats.map(poolFor)).then((pools) => {
      this.pools = pools;
      return this;
    });
    return this.loading;
  }

  next(count: number, signal?: AbortSignal): Promise<unknown[]> {
    return this.nextEncoded(count, (user) => user, signal);
  }

  async nextEncoded<T>(count: number, encode: (user: unknown) => T, signal?: AbortSignal): Promise<T[]> {
    signal?.throwIfAborted();
    await this.ready();
    signal?.throwIfAborted();
    const n = count > 0 && count < Infinity ? floor(count) : 0;
    const encoded = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      encoded[i] = encode(this.userAt(this.index + i));
    }
    this.index += n;
    return encoded;
  }

  /** User `index` (0-based) of this seed's stream, independent of what was generated before; after `ready()`. */
  userAt(index: number): SyntheticUser {
    const pools = this.pools;
    if (!pools) {
      throw new Error('SyntheticSource.userAt before ready()');
    }
    const rng = this.rng;
    const [s0, s1, s2, s3] = this.seedWords;
    rng.reset(s0, s1, s2, s3, index);

    const which = rng.int(this.nats.length);
    const nat = this.nats[which]!;
    const pool = pools[which]!;
    const male = rng.int(2) === 0;
    const first = rng.pick(male ? pool.male : pool.female);
    const last = rng.pick(male ? pool.lastMale : pool.lastFemale);

    const age = 18 + rng.int(63);
    const birthYear = REFERENCE_YEAR - 1 - age;
    const registeredAge = rng.int(min(20, age - 18) + 1);
    const registeredYear = REFERENCE_YEAR - 1 - registeredAge;

    const password = rng.pick(PASSWORDS);
    const picture = rng.int(100);

    return {
      gender: male ? 'male' : 'female',
      name: {
        title: rng.pick(male ? pool.titlesMale : pool.titlesFemale),
        first: first.text,
        last: last.text,
      },
      location: {
        street: { number: 1 + rng.int(9999), name: rng.pick(pool.streets) },
        city: rng.pick(pool.cities),
        state: rng.pick(pool.states),
        country: COUNTRY_BY_NAT[nat],
        postcode: pool.postcode(rng),
        coordinates: { latitude: rng.fixed4(90), longitude: rng.fixed4(180) },
        timezone: rng.pick(TIMEZONES),
      },
      email: first.email + last.email,
      login: {
        uuid: rng.uuid(),
        username: rng.pick(USERNAME_STEMS) + PAD3[100 + rng.int(900)]!,
        password: password.password,
        salt: password.salt,
        md5: password.md5,
        sha1: password.sha1,
        sha256: password.sha256,
      },
      dob: { date: isoWithinYear(rng, birthYear), age },
      registered: { date: isoWithinYear(rng, registeredYear), age: registeredAge },
      phone: rng.fill(pool.phone),
      cell: rng.fill(pool.cell),
      id: { name: pool.idName, value: pool.idPattern ? rng.fill(pool.idPattern) : null },
      picture: (male ? PICTURES_MALE : PICTURES_FEMALE)[picture]!,
      nat,
    };
  }
}

/** Dates are as of January 1st of this year, so that they do not depend on when the stream is generated. */
export const REFERENCE_YEAR = 2026;

const DAY_MS = 86_400_000;
const DAY_PREFIXES = new Map<number, string[]>();

/** `YYYY-MM-DDT` for each day of `year` but January 1st. */
function dayPrefixes(year: number): string[] {
  let days = DAY_PREFIXES.get(year);
  if (!days) {
    days = [];
    for (let t = Date.UTC(year, 0, 2); t < Date.UTC(year + 1, 0, 1); t += DAY_MS) {
      days.push(new Date(t).toISOString().slice(0, 11));
    }
    DAY_PREFIXES.set(year, days);
  }
  return days;
}

/**
 * An ISO instant with milliseconds in `year`, after its first day: so the age as of REFERENCE_YEAR-01-01 is
 * exactly REFERENCE_YEAR - 1 - year.
 */
function isoWithinYear(rng: Sfc32, year: number): string {
  const day = rng.pick(dayPrefixes(year));
  const ms = rng.int(DAY_MS);
  const codes = codesOf(24);
  for (let i = 0; i < 11; i++) {
    codes[i] = day.charCodeAt(i);
  }
  const hours = floor(ms / 3_600_000);
  const minutes = floor(ms / 60_000) % 60;
  const seconds = floor(ms / 1000) % 60;
  const millis = ms % 1000;
  codes[11] = ZERO + floor(hours / 10);
  codes[12] = ZERO + (hours % 10);
  codes[13] = 58; // ':'
  codes[14] = ZERO + floor(minutes / 10);
  codes[15] = ZERO + (minutes % 10);
  codes[16] = 58;
  codes[17] = ZERO + floor(seconds / 10);
  codes[18] = ZERO + (seconds % 10);
  codes[19] = 46; // '.'
  codes[20] = ZERO + floor(millis / 100);
  codes[21] = ZERO + (floor(millis / 10) % 10);
  codes[22] = ZERO + (millis % 10);
  codes[23] = 90; // 'Z'
  return fromCodes(codes);
}

const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

// ---- Pools, built once per process -------------------------------------------------------------------------

interface Word {
  text: string;
  /** `first.` or `last@example.com` in ASCII (API 1.3+ transliterates e-mails), joined per user with one `+`. */
  email: string;
}

interface LocalePool {
  male: Word[];
  female: Word[];
  lastMale: Word[];
  lastFemale: Word[];
  titlesMale: readonly string[];
  titlesFemale: readonly string[];
  streets: string[];
  cities: string[];
  states: string[];
  postcode: (rng: Sfc32) => number | string;
  phone: Pattern;
  cell: Pattern;
  idName: string;
  /** Null where the API sends `{ name: "", value: null }`. */
  idPattern: Pattern | null;
}

const NAMES_PER_POOL = 300;
const PLACES_PER_POOL = 120;

function buildPool(spec: LocaleSpec, f: Faker): LocalePool {
  // The locale fakers are shared singletons: reseed right before use so the pools never vary.
  f.seed(POOL_SEED);
  const place = spec.latinPlaces ? transliterate : (s: string) => s;
  return {
    male: words(() => f.person.firstName('male'), '.'),
    female: words(() => f.person.firstName('female'), '.'),
    lastMale: words(() => f.person.lastName('male'), '@example.com'),
    lastFemale: words(() => f.person.lastName('female'), '@example.com'),
    titlesMale: spec.titlesMale ?? ['Mr'],
    titlesFemale: spec.titlesFemale ?? ['Ms', 'Mrs', 'Miss'],
    streets: unique(() => place(capitalise(f.location.street())), PLACES_PER_POOL),
    cities: spec.cities ?? unique(() => place(f.location.city()), PLACES_PER_POOL),
    states: spec.states ?? unique(() => place((spec.state ?? ((x: Faker) => x.location.state()))(f)), 60),
    postcode: spec.postcode,
    phone: compile(spec.phone),
    cell: compile(spec.cell),
    idName: spec.idName,
    idPattern: spec.idPattern === null ? null : compile(spec.idPattern),
  };
}

function unique(make: () => string, draws: number): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < draws; i++) {
    seen.add(make());
  }
  return [...seen];
}

function words(make: () => string, emailSuffix: string): Word[] {
  return unique(make, NAMES_PER_POOL).map((text) => ({
    text,
    email: `${toAscii(text) || 'user'}${emailSuffix}`,
  }));
}

const POOLS = new Map<Nationality, Promise<LocalePool>>();

/** Pools are built on first use (faker is slow), so a run limited to a few nationalities builds only those. */
function poolFor(nat: Nationality): Promise<LocalePool> {
  let pool = POOLS.get(nat);
  if (!pool) {
    const spec = LOCALES[nat];
    pool = spec.faker().then(({ faker }) => buildPool(spec, faker));
    POOLS.set(nat, pool);
  }
  return pool;
}
