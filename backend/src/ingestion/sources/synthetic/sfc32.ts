/** The synthetic source's generator: a seeded PRNG and the char-code string building its users are made with. */
import { createHash } from 'node:crypto';

// Hot paths use module-level aliases: looking up a global such as `Math` is slow in vm contexts (Jest's).
const { floor, imul } = Math;
const { fromCharCode } = String;

/*
 * Strings are written as char codes into reusable arrays and made with one String.fromCharCode: concatenation
 * would leave a rope of small strings per field, and a batch of 5,000 users outlives the young generation,
 * so every rope node would be copied by the GC. That, not the arithmetic, was most of the cost.
 */
const CODE_ARRAYS = Array.from({ length: 48 }, (_, n) => new Array<number>(n).fill(0));
export const codesOf = (length: number) => CODE_ARRAYS[length]!;
export const fromCodes = (codes: number[]) => fromCharCode(...codes);
const HEX_CODES = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));
export const ZERO = 48;
/** A uuid's own array: its dashes stay in place, only the 32 hex digits (at UUID_DIGITS) are rewritten. */
const UUID_CODES = [...'00000000-0000-0000-0000-000000000000'].map((ch) => ch.charCodeAt(0));
const UUID_DIGITS = [...UUID_CODES.keys()].filter((i) => UUID_CODES[i] !== 45);

/** A format like `(##) ####-####` as char codes, `#` (a digit) and `A` (a capital letter) replaced by markers. */
export type Pattern = readonly number[];
const DIGIT = -1;
const LETTER = -2;

export function compile(format: string): Pattern {
  if (format.length >= CODE_ARRAYS.length) {
    throw new Error(`Pattern too long: ${format}`);
  }
  return [...format].map((ch) => (ch === '#' ? DIGIT : ch === 'A' ? LETTER : ch.charCodeAt(0)));
}

const PAD4 = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/** Small fast PRNG (sfc32), reseeded per user from the seed hash and the user's index. */
export class Sfc32 {
  /** a, b, c, d; an Int32Array keeps them unboxed, plain fields would become heap numbers. */
  private readonly s = new Int32Array(4);

  reset(s0: number, s1: number, s2: number, s3: number, index: number): void {
    const lo = index >>> 0;
    const hi = floor(index / 0x1_0000_0000) >>> 0;
    this.s[0] = s0 ^ fmix32(lo ^ 0x9e3779b9);
    this.s[1] = s1 ^ fmix32(hi ^ 0x85ebca6b);
    this.s[2] = s2 ^ fmix32((lo + 0x632be5ab) | 0);
    this.s[3] = s3 ^ 1;
    for (let i = 0; i < 12; i++) {
      this.next();
    }
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
      if (word === 1) {
        w = (w & 0xffff0fff) | 0x00004000;
      } // version 4
      if (word === 2) {
        w = (w & 0x3fffffff) | 0x80000000;
      } // variant 10xx
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

export function hashSeed(seed: string): [number, number, number, number] {
  const digest = createHash('sha256').update(`userstream-synthetic:${seed}`, 'utf8').digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
}
