import { createHash } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import { faker as fakerDa } from '@faker-js/faker/locale/da';
import { faker as fakerDe } from '@faker-js/faker/locale/de';
import { faker as fakerDeCh } from '@faker-js/faker/locale/de_CH';
import { faker as fakerEnAu } from '@faker-js/faker/locale/en_AU';
import { faker as fakerEnCa } from '@faker-js/faker/locale/en_CA';
import { faker as fakerEnGb } from '@faker-js/faker/locale/en_GB';
import { faker as fakerEnIe } from '@faker-js/faker/locale/en_IE';
import { faker as fakerEnIn } from '@faker-js/faker/locale/en_IN';
import { faker as fakerEnUs } from '@faker-js/faker/locale/en_US';
import { faker as fakerEs } from '@faker-js/faker/locale/es';
import { faker as fakerEsMx } from '@faker-js/faker/locale/es_MX';
import { faker as fakerFa } from '@faker-js/faker/locale/fa';
import { faker as fakerFi } from '@faker-js/faker/locale/fi';
import { faker as fakerFr } from '@faker-js/faker/locale/fr';
import { faker as fakerNbNo } from '@faker-js/faker/locale/nb_NO';
import { faker as fakerNl } from '@faker-js/faker/locale/nl';
import { faker as fakerPtBr } from '@faker-js/faker/locale/pt_BR';
import { faker as fakerSrRs } from '@faker-js/faker/locale/sr_RS_latin';
import { faker as fakerTr } from '@faker-js/faker/locale/tr';
import { faker as fakerUk } from '@faker-js/faker/locale/uk';
import { COUNTRY_BY_NAT, NATIONALITIES, type Nationality } from '@userstream/contracts';
import { SourceError, type UserSource } from './user-source.js';

// Hot paths use module-level aliases: looking up a global such as `Math` is slow in vm contexts (Jest's).
const { floor, imul, min } = Math;
const { fromCharCode } = String;

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
  private readonly pools: readonly LocalePool[];
  private readonly rng = new Sfc32();
  private index = 0;

  constructor(options: SyntheticSourceOptions) {
    this.seedWords = hashSeed(options.seed);
    const nats = options.nationalities?.length ? [...new Set(options.nationalities)] : [...NATIONALITIES];
    const unknown = nats.filter((nat) => !(NATIONALITIES as readonly string[]).includes(nat));
    if (unknown.length > 0) throw new SourceError(`Unknown nationality ${unknown.join(', ')}`);
    this.nats = nats;
    this.pools = nats.map(poolFor);
  }

  next(count: number, signal?: AbortSignal): Promise<unknown[]> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const n = count > 0 && count < Infinity ? floor(count) : 0;
    const users = new Array<SyntheticUser>(n);
    for (let i = 0; i < n; i++) users[i] = this.userAt(this.index + i);
    this.index += n;
    return Promise.resolve(users);
  }

  nextEncoded<T>(count: number, encode: (user: unknown) => T, signal?: AbortSignal): Promise<T[]> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const n = count > 0 && count < Infinity ? floor(count) : 0;
    const encoded = new Array<T>(n);
    for (let i = 0; i < n; i++) encoded[i] = encode(this.userAt(this.index + i));
    this.index += n;
    return Promise.resolve(encoded);
  }

  /** User `index` (0-based) of this seed's stream, independent of what was generated before. */
  userAt(index: number): SyntheticUser {
    const rng = this.rng;
    const [s0, s1, s2, s3] = this.seedWords;
    rng.reset(s0, s1, s2, s3, index);

    const which = rng.int(this.nats.length);
    const nat = this.nats[which]!;
    const pool = this.pools[which]!;
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

/*
 * Strings are written as char codes into reusable arrays and made with one String.fromCharCode: concatenation
 * would leave a rope of small strings per field, and a batch of 5,000 users outlives the young generation,
 * so every rope node would be copied by the GC. That, not the arithmetic, was most of the cost.
 */
const CODE_ARRAYS = Array.from({ length: 48 }, (_, n) => new Array<number>(n).fill(0));
const codesOf = (length: number) => CODE_ARRAYS[length]!;
const fromCodes = (codes: number[]) => fromCharCode(...codes);
const HEX_CODES = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));
const ZERO = 48;
/** A uuid's own array: its dashes stay in place, only the 32 hex digits (at UUID_DIGITS) are rewritten. */
const UUID_CODES = [...'00000000-0000-0000-0000-000000000000'].map((ch) => ch.charCodeAt(0));
const UUID_DIGITS = [...UUID_CODES.keys()].filter((i) => UUID_CODES[i] !== 45);

/**
 * An ISO instant with milliseconds in `year`, after its first day: so the age as of REFERENCE_YEAR-01-01 is
 * exactly REFERENCE_YEAR - 1 - year.
 */
function isoWithinYear(rng: Sfc32, year: number): string {
  const day = rng.pick(dayPrefixes(year));
  const ms = rng.int(DAY_MS);
  const codes = codesOf(24);
  for (let i = 0; i < 11; i++) codes[i] = day.charCodeAt(i);
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

/** Small fast PRNG (sfc32), reseeded per user from the seed hash and the user's index. */
class Sfc32 {
  /** a, b, c, d; an Int32Array keeps them unboxed, plain fields would become heap numbers. */
  private readonly s = new Int32Array(4);

  reset(s0: number, s1: number, s2: number, s3: number, index: number): void {
    const lo = index >>> 0;
    const hi = floor(index / 0x1_0000_0000) >>> 0;
    this.s[0] = s0 ^ fmix32(lo ^ 0x9e3779b9);
    this.s[1] = s1 ^ fmix32(hi ^ 0x85ebca6b);
    this.s[2] = s2 ^ fmix32((lo + 0x632be5ab) | 0);
    this.s[3] = s3 ^ 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** 32 random bits, unsigned. */
  next(): number {
    const s = this.s;
    const a = s[0]!;
    const b = s[1]!;
    const c = s[2]!;
    const d = s[3]!;
    const t = (((a + b) | 0) + d) | 0;
    s[3] = d + 1;
    s[0] = b ^ (b >>> 9);
    s[1] = c + (c << 3);
    s[2] = ((c << 21) | (c >>> 11)) + t;
    return t >>> 0;
  }

  float(): number {
    return this.next() / 0x1_0000_0000;
  }

  /** 0 <= n < max. */
  int(max: number): number {
    return floor(this.float() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** A signed decimal with four places within +-limit, as the API sends coordinates (short: no rope). */
  fixed4(limit: number): string {
    const v = this.int(limit * 20_000 + 1) - limit * 10_000;
    const abs = v < 0 ? -v : v;
    return `${v < 0 ? '-' : ''}${floor(abs / 10_000)}.${PAD4[abs % 10_000]}`;
  }

  fill(pattern: Pattern): string {
    const codes = codesOf(pattern.length);
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern[i]!;
      codes[i] = code === DIGIT ? ZERO + this.int(10) : code === LETTER ? 65 + this.int(26) : code;
    }
    return fromCodes(codes);
  }

  /** An RFC 4122 version-4-shaped uuid from this generator. */
  uuid(): string {
    const codes = UUID_CODES;
    for (let word = 0; word < 4; word++) {
      let w = this.next();
      if (word === 1) w = (w & 0xffff0fff) | 0x00004000; // version 4
      if (word === 2) w = (w & 0x3fffffff) | 0x80000000; // variant 10xx
      for (let nibble = 0; nibble < 8; nibble++) {
        codes[UUID_DIGITS[word * 8 + nibble]!] = HEX_CODES[(w >>> (28 - nibble * 4)) & 15]!;
      }
    }
    return fromCodes(codes);
  }
}

/** murmur3's finaliser: nearby indexes give unrelated generator states. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashSeed(seed: string): [number, number, number, number] {
  const digest = createHash('sha256').update(`userstream-synthetic:${seed}`, 'utf8').digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
}

const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const PAD4 = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/** A format like `(##) ####-####` as char codes, `#` (a digit) and `A` (a capital letter) replaced by markers. */
type Pattern = readonly number[];
const DIGIT = -1;
const LETTER = -2;

function compile(format: string): Pattern {
  if (format.length >= CODE_ARRAYS.length) throw new Error(`Pattern too long: ${format}`);
  return [...format].map((ch) => (ch === '#' ? DIGIT : ch === 'A' ? LETTER : ch.charCodeAt(0)));
}

// ---- Pools, built once at module load -------------------------------------------------------------------

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

interface LocaleSpec {
  faker: Faker;
  /** Cities and states where faker has none fitting (or none at all). */
  cities?: string[];
  states?: string[];
  state?: (faker: Faker) => string;
  /** 1.4 sends Ukrainian places in Latin letters while names stay Cyrillic. */
  latinPlaces?: boolean;
  titlesMale?: readonly string[];
  titlesFemale?: readonly string[];
  postcode: (rng: Sfc32) => number | string;
  phone: string;
  cell: string;
  idName: string;
  idPattern: string | null;
}

const between = (min: number, max: number) => (rng: Sfc32) => min + rng.int(max - min + 1);
const pattern = (...formats: string[]) => {
  const patterns = formats.map(compile);
  return (rng: Sfc32) => rng.fill(rng.pick(patterns));
};
const FRENCH_MALE = ['Monsieur', 'Mr'];
const FRENCH_FEMALE = ['Madame', 'Mademoiselle', 'Ms'];

const LOCALES: Record<Nationality, LocaleSpec> = {
  AU: {
    faker: fakerEnAu,
    postcode: between(200, 9999),
    phone: '0#-####-####',
    cell: '04##-###-###',
    idName: 'TFN',
    idPattern: '#########',
  },
  BR: {
    faker: fakerPtBr,
    postcode: between(10000, 99999),
    phone: '(##) ####-####',
    cell: '(##) #####-####',
    idName: 'CPF',
    idPattern: '###.###.###-##',
  },
  CA: {
    faker: fakerEnCa,
    postcode: pattern('A#A #A#'),
    phone: '###-###-####',
    cell: '###-###-####',
    idName: 'SIN',
    idPattern: '#########',
  },
  CH: {
    faker: fakerDeCh,
    titlesMale: FRENCH_MALE,
    titlesFemale: FRENCH_FEMALE,
    postcode: between(1000, 9999),
    phone: '0## ### ## ##',
    cell: '07# ### ## ##',
    idName: 'AVS',
    idPattern: '756.####.####.##',
  },
  DE: {
    faker: fakerDe,
    postcode: between(10000, 99999),
    phone: '0###-#######',
    cell: '01##-#######',
    idName: 'SVNR',
    idPattern: '## ###### A ###',
  },
  DK: {
    faker: fakerDa,
    postcode: between(1000, 9999),
    phone: '########',
    cell: '########',
    idName: 'CPR',
    idPattern: '######-####',
  },
  ES: {
    faker: fakerEs,
    postcode: between(10000, 99999),
    phone: '9##-###-###',
    cell: '6##-###-###',
    idName: 'DNI',
    idPattern: '########-A',
  },
  FI: {
    faker: fakerFi,
    postcode: between(10000, 99999),
    phone: '0#-###-###',
    cell: '04#-###-##-##',
    idName: 'HETU',
    idPattern: '######-###A',
  },
  FR: {
    faker: fakerFr,
    titlesMale: FRENCH_MALE,
    titlesFemale: FRENCH_FEMALE,
    postcode: between(10000, 99999),
    phone: '0#-##-##-##-##',
    cell: '06-##-##-##-##',
    idName: 'INSEE',
    idPattern: '############# ##',
  },
  GB: {
    faker: fakerEnGb,
    state: (f) => f.location.county(),
    postcode: pattern('A# #AA', 'A## #AA', 'AA# #AA', 'AA## #AA'),
    phone: '0#### ######',
    cell: '07### ######',
    idName: 'NINO',
    idPattern: 'AA ## ## ## A',
  },
  IE: {
    faker: fakerEnIe,
    state: (f) => f.location.county(),
    cities: [
      'Dublin',
      'Cork',
      'Limerick',
      'Galway',
      'Waterford',
      'Drogheda',
      'Kilkenny',
      'Wexford',
      'Sligo',
      'Athlone',
      'Ennis',
      'Tralee',
      'Navan',
      'Carlow',
      'Naas',
      'Swords',
      'Dundalk',
      'Bray',
      'Clonmel',
      'Mullingar',
    ],
    postcode: between(10000, 99999),
    phone: '0#-###-####',
    cell: '08#-###-####',
    idName: 'PPS',
    idPattern: '#######A',
  },
  IN: {
    faker: fakerEnIn,
    postcode: between(100000, 999999),
    phone: '9#########',
    cell: '7#########',
    idName: 'UIDAI',
    idPattern: '############',
  },
  IR: {
    faker: fakerFa,
    postcode: between(10000, 99999),
    phone: '0##-########',
    cell: '09##-###-####',
    idName: '',
    idPattern: null,
  },
  MX: {
    faker: fakerEsMx,
    postcode: between(10000, 99999),
    phone: '(6##) ### ####',
    cell: '(6##) ### ####',
    idName: 'NSS',
    idPattern: '## ## ## #### #',
  },
  NL: {
    faker: fakerNl,
    postcode: between(1000, 9999),
    phone: '(0##) #######',
    cell: '(06) ########',
    idName: 'BSN',
    idPattern: '########',
  },
  NO: {
    faker: fakerNbNo,
    postcode: (rng) => String(1 + rng.int(9990)).padStart(4, '0'),
    phone: '########',
    cell: '4#######',
    idName: 'FN',
    idPattern: '###########',
  },
  NZ: {
    faker: fakerEnAu,
    cities: [
      'Auckland',
      'Wellington',
      'Christchurch',
      'Hamilton',
      'Tauranga',
      'Dunedin',
      'Palmerston North',
      'Napier',
      'Nelson',
      'Rotorua',
      'New Plymouth',
      'Whangarei',
      'Invercargill',
      'Whanganui',
      'Gisborne',
      'Timaru',
      'Masterton',
      'Blenheim',
      'Porirua',
      'Hastings',
    ],
    states: [
      'Auckland',
      'Wellington',
      'Canterbury',
      'Waikato',
      'Bay of Plenty',
      'Otago',
      'Manawatu-Wanganui',
      "Hawke's Bay",
      'Nelson',
      'Taranaki',
      'Northland',
      'Southland',
      'Gisborne',
      'Marlborough',
      'West Coast',
      'Tasman',
    ],
    postcode: between(1000, 9999),
    phone: '(###)-###-####',
    cell: '(###)-###-####',
    idName: '',
    idPattern: null,
  },
  RS: {
    faker: fakerSrRs,
    postcode: between(10000, 99999),
    phone: '0##-####-###',
    cell: '06#-####-###',
    idName: 'SID',
    idPattern: '#########',
  },
  TR: {
    faker: fakerTr,
    postcode: between(10000, 99999),
    phone: '(###)-###-####',
    cell: '(###)-###-####',
    idName: '',
    idPattern: null,
  },
  UA: {
    faker: fakerUk,
    latinPlaces: true,
    postcode: between(10000, 99999),
    phone: '(0##) ###-####',
    cell: '(0##) ###-####',
    idName: '',
    idPattern: null,
  },
  US: {
    faker: fakerEnUs,
    postcode: between(10000, 99999),
    phone: '(###) ###-####',
    cell: '(###) ###-####',
    idName: 'SSN',
    idPattern: '###-##-####',
  },
};

const POOL_SEED = 20_260_101;
const NAMES_PER_POOL = 300;
const PLACES_PER_POOL = 120;

function buildPool(spec: LocaleSpec): LocalePool {
  const f = spec.faker;
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
  for (let i = 0; i < draws; i++) seen.add(make());
  return [...seen];
}

function words(make: () => string, emailSuffix: string): Word[] {
  return unique(make, NAMES_PER_POOL).map((text) => ({
    text,
    email: `${toAscii(text) || 'user'}${emailSuffix}`,
  }));
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'h',
  ґ: 'g',
  д: 'd',
  е: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'y',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ь: '',
  ю: 'yu',
  я: 'ya',
  ы: 'y',
  э: 'e',
  ъ: '',
  ё: 'yo',
  "'": '',
  '’': '',
};
/** Persian has no short vowels in writing, so transliterated names look like the API's (`nznyn.rdyy`). */
const PERSIAN: Record<string, string> = {
  ا: 'a',
  آ: 'a',
  ب: 'b',
  پ: 'p',
  ت: 't',
  ث: 's',
  ج: 'j',
  چ: 'ch',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ذ: 'z',
  ر: 'r',
  ز: 'z',
  ژ: 'zh',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'z',
  ط: 't',
  ظ: 'z',
  ع: '',
  غ: 'gh',
  ف: 'f',
  ق: 'gh',
  ک: 'k',
  ك: 'k',
  گ: 'g',
  ل: 'l',
  م: 'm',
  ن: 'n',
  و: 'v',
  ه: 'h',
  ة: 'h',
  ی: 'y',
  ي: 'y',
  ئ: 'y',
  ء: '',
  '\u200c': '',
};
/** Latin letters that Unicode does not decompose into a base letter plus accents. */
const LATIN: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  đ: 'd',
  ł: 'l',
  ı: 'i',
  þ: 'th',
  ð: 'd',
};

/** Cyrillic to Latin, keeping capitals (for Ukrainian place names). */
function transliterate(s: string): string {
  let out = '';
  for (const ch of s) {
    const lower = ch.toLowerCase();
    const latin = CYRILLIC[lower];
    if (latin === undefined) out += ch;
    else out += ch === lower ? latin : capitalise(latin);
  }
  return out;
}

function toAscii(s: string): string {
  let out = '';
  for (const ch of s.toLowerCase()) out += CYRILLIC[ch] ?? PERSIAN[ch] ?? LATIN[ch] ?? ch;
  return out
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]/g, '');
}

const POOLS = new Map<Nationality, LocalePool>();

/** Pools are built on first use (faker is slow), so a run limited to a few nationalities builds only those. */
function poolFor(nat: Nationality): LocalePool {
  let pool = POOLS.get(nat);
  if (!pool) {
    pool = buildPool(LOCALES[nat]);
    POOLS.set(nat, pool);
  }
  return pool;
}

const ADJECTIVES = [
  'big',
  'small',
  'tiny',
  'lazy',
  'happy',
  'sad',
  'angry',
  'brave',
  'crazy',
  'silver',
  'golden',
  'purple',
  'orange',
  'green',
  'blue',
  'red',
  'yellow',
  'brown',
  'heavy',
  'organic',
  'ticklish',
  'beautiful',
  'silent',
  'quick',
];
const ANIMALS = [
  'duck',
  'panda',
  'goose',
  'butterfly',
  'cat',
  'rabbit',
  'swan',
  'bear',
  'frog',
  'leopard',
  'mouse',
  'koala',
  'ostrich',
  'fish',
  'zebra',
  'peacock',
  'wolf',
  'tiger',
  'meercat',
  'bird',
  'lion',
  'elephant',
  'gorilla',
  'owl',
];
const USERNAME_STEMS = ADJECTIVES.flatMap((adjective) => ANIMALS.map((animal) => adjective + animal));
const PASSWORD_WORDS = [
  'chevy',
  'tigger',
  'maverick',
  'snickers',
  'boomer',
  'hockey',
  'soleil',
  'galway',
  'kennwort',
  'fjord',
  'paella',
  'kiwi',
  'tulip',
  'fromage',
  'arsenal',
  'sauna',
  'bailey',
  'rakija',
  'kebab',
  'mumbai',
  'tequila',
  'golestan',
  'borshch',
  'hygge',
  'summer',
  'winter',
  'dragon',
  'shadow',
  'monkey',
  'sunshine',
  'pepper',
  'cookie',
];

interface PasswordEntry {
  password: string;
  salt: string;
  md5: string;
  sha1: string;
  sha256: string;
}

/** Real digests of password + salt as the API computes them, precomputed: three hashes per user would be slow. */
const PASSWORDS: PasswordEntry[] = (() => {
  const rng = new Sfc32();
  rng.reset(POOL_SEED, 0, 0, 0, 0);
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from({ length: 1024 }, () => {
    const word = rng.pick(PASSWORD_WORDS);
    const password = rng.int(3) === 0 ? `${word}${rng.int(100)}` : word;
    let salt = '';
    for (let i = 0; i < 8; i++) salt += alphabet[rng.int(alphabet.length)];
    const digest = (algorithm: string) =>
      createHash(algorithm)
        .update(password + salt)
        .digest('hex');
    return { password, salt, md5: digest('md5'), sha1: digest('sha1'), sha256: digest('sha256') };
  });
})();

/** Shared and frozen, like the portraits below: one object per value instead of one per user. */
const TIMEZONES: ReadonlyArray<{ offset: string; description: string }> = [
  { offset: '-12:00', description: 'Eniwetok, Kwajalein' },
  { offset: '-11:00', description: 'Midway Island, Samoa' },
  { offset: '-10:00', description: 'Hawaii' },
  { offset: '-9:00', description: 'Alaska' },
  { offset: '-8:00', description: 'Pacific Time (US & Canada)' },
  { offset: '-7:00', description: 'Mountain Time (US & Canada)' },
  { offset: '-6:00', description: 'Central Time (US & Canada), Mexico City' },
  { offset: '-5:00', description: 'Eastern Time (US & Canada), Bogota, Lima' },
  { offset: '-4:00', description: 'Atlantic Time (Canada), Caracas, La Paz' },
  { offset: '-3:30', description: 'Newfoundland' },
  { offset: '-3:00', description: 'Brazil, Buenos Aires, Georgetown' },
  { offset: '-1:00', description: 'Azores, Cape Verde Islands' },
  { offset: '0:00', description: 'Western Europe Time, London, Lisbon, Casablanca' },
  { offset: '+1:00', description: 'Brussels, Copenhagen, Madrid, Paris' },
  { offset: '+2:00', description: 'Kaliningrad, South Africa' },
  { offset: '+3:00', description: 'Baghdad, Riyadh, Moscow, St. Petersburg' },
  { offset: '+3:30', description: 'Tehran' },
  { offset: '+4:00', description: 'Abu Dhabi, Muscat, Baku, Tbilisi' },
  { offset: '+5:00', description: 'Ekaterinburg, Islamabad, Karachi, Tashkent' },
  { offset: '+5:30', description: 'Bombay, Calcutta, Madras, New Delhi' },
  { offset: '+6:00', description: 'Almaty, Dhaka, Colombo' },
  { offset: '+7:00', description: 'Bangkok, Hanoi, Jakarta' },
  { offset: '+8:00', description: 'Beijing, Perth, Singapore, Hong Kong' },
  { offset: '+9:00', description: 'Tokyo, Seoul, Osaka, Sapporo, Yakutsk' },
  { offset: '+9:30', description: 'Adelaide, Darwin' },
  { offset: '+10:00', description: 'Eastern Australia, Guam, Vladivostok' },
  { offset: '+11:00', description: 'Magadan, Solomon Islands, New Caledonia' },
  { offset: '+12:00', description: 'Auckland, Wellington, Fiji, Kamchatka' },
].map((timezone) => Object.freeze(timezone));

/** Portrait URLs, 100 per gender as the API serves them; shared and frozen. */
const pictures = (folder: 'men' | 'women') =>
  Array.from({ length: 100 }, (_, n) =>
    Object.freeze({
      large: `https://randomuser.me/api/portraits/${folder}/${n}.jpg`,
      medium: `https://randomuser.me/api/portraits/med/${folder}/${n}.jpg`,
      thumbnail: `https://randomuser.me/api/portraits/thumb/${folder}/${n}.jpg`,
    }),
  );
const PICTURES_MALE = pictures('men');
const PICTURES_FEMALE = pictures('women');
