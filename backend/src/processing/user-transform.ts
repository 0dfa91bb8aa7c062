import { COUNTRY_BY_NAT, Nationality, RawUser } from '@userstream/contracts';
import type { z } from 'zod';
import { deriveUserId, type UserRow } from '#src/users/index.js';
import type { KafkaPosition } from './record-stream.js';

export interface TransformMeta {
  source: string;
  runId: string | null;
  ingestedAt: Date | null;
  fetchedAt?: Date | null;
  position?: KafkaPosition;
}

export type TransformResult = { ok: true; user: UserRow } | { ok: false; reason: string };

/**
 * Turns one raw user of any API version 1.0-1.4 into a row, or says why it cannot be stored.
 * A section that is missing (old version, `inc=`) becomes null; a section that is present but wrong is a reason,
 * so garbage is dead-lettered rather than stored as if it were empty.
 */
export function transformUser(value: unknown, meta: TransformMeta, now: Date): TransformResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `not a user object (got ${describe(value)})` };
  }
  const parsed = RawUser.safeParse(value);
  if (!parsed.success) {
    return { ok: false, reason: summariseIssues(parsed.error.issues) };
  }
  const raw = parsed.data;

  const firstName = raw.name?.first.trim() ?? '';
  const lastName = raw.name?.last.trim() ?? '';
  if (!firstName || !lastName) {
    return { ok: false, reason: 'name.first and name.last are required and must not be blank' };
  }

  const dob = parseApiDate(raw.dob, 'dob');
  if (!dob.ok) {
    return dob;
  }
  const registered = parseApiDate(raw.registered, 'registered');
  if (!registered.ok) {
    return registered;
  }

  const location = raw.location;
  const nat = text(raw.nat)?.toUpperCase() ?? null;
  const knownNat = Nationality.safeParse(nat);

  const user: UserRow = {
    id: deriveUserId(raw),
    title: text(raw.name?.title),
    firstName,
    lastName,
    gender: text(raw.gender),
    email: text(raw.email)?.toLowerCase() ?? null,
    username: text(raw.login?.username),
    dob: dob.date,
    age: dob.age ?? (dob.date ? fullYearsBetween(dob.date, now) : null),
    registered: registered.date,
    phone: text(raw.phone),
    cell: text(raw.cell),
    pictureLarge: text(raw.picture?.large),
    pictureMedium: text(raw.picture?.medium),
    pictureThumbnail: text(raw.picture?.thumbnail),
    street: street(location?.street),
    city: text(location?.city),
    state: text(location?.state),
    country: text(location?.country) ?? (knownNat.success ? COUNTRY_BY_NAT[knownNat.data] : null),
    postcode: location?.postcode === undefined ? null : text(String(location.postcode)),
    latitude: coordinate(location?.coordinates?.latitude),
    longitude: coordinate(location?.coordinates?.longitude),
    timezoneOffset: text(location?.timezone?.offset),
    timezoneDescription: text(location?.timezone?.description),
    nat,
    source: meta.source,
    runId: meta.runId,
    fetchedAt: meta.fetchedAt ?? null,
    ingestedAt: meta.ingestedAt,
    kafkaTopic: meta.position?.topic ?? null,
    kafkaPartition: meta.position?.partition ?? null,
    kafkaOffset: meta.position?.offset ?? null,
    processedAt: now,
  };
  return { ok: true, user };
}

type ParsedDate = { ok: true; date: Date | null; age?: number } | { ok: false; reason: string };

const API_1_1_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** dob/registered: Unix seconds (1.0), "YYYY-MM-DD hh:mm:ss" UTC (1.1), `{ date: ISO, age }` (1.2+). */
function parseApiDate(value: RawUser['dob'], field: string): ParsedDate {
  if (value === undefined) {
    return { ok: true, date: null };
  }
  if (typeof value === 'number') {
    const date = new Date(value * 1000);
    return Number.isNaN(date.getTime())
      ? { ok: false, reason: `${field}: ${value} is not a Unix time` }
      : { ok: true, date };
  }
  const raw = typeof value === 'string' ? value : value.date;
  const path = typeof value === 'string' ? field : `${field}.date`;
  const date = parseDateString(raw.trim());
  if (!date) {
    return { ok: false, reason: `${path}: "${raw.slice(0, 60)}" is not a date` };
  }
  const age = typeof value === 'object' ? value.age : undefined;
  return { ok: true, date, age: age !== undefined && Number.isInteger(age) && age >= 0 ? age : undefined };
}

function parseDateString(value: string): Date | null {
  const match = API_1_1_DATE.exec(value) ?? ISO_DATE.exec(value);
  if (!match) {
    return null;
  }
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Date.parse rolls "02-30" over into March: check the calendar fields ourselves.
  const calendar = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (
    calendar.getUTCFullYear() !== y ||
    calendar.getUTCMonth() !== mo - 1 ||
    calendar.getUTCDate() !== d ||
    calendar.getUTCHours() !== h ||
    calendar.getUTCMinutes() !== mi ||
    calendar.getUTCSeconds() !== s
  ) {
    return null;
  }
  const ms = Date.parse(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function fullYearsBetween(from: Date, to: Date): number | null {
  let years = to.getUTCFullYear() - from.getUTCFullYear();
  const beforeBirthday =
    to.getUTCMonth() < from.getUTCMonth() ||
    (to.getUTCMonth() === from.getUTCMonth() && to.getUTCDate() < from.getUTCDate());
  if (beforeBirthday) {
    years--;
  }
  return years >= 0 ? years : null;
}

function street(value: NonNullable<RawUser['location']>['street']): string | null {
  if (value === undefined) {
    return null;
  }
  if (typeof value === 'string') {
    return text(value);
  }
  return text(`${value.number} ${value.name.trim()}`);
}

/** The API sends coordinates as strings; anything that is not a finite number is unknown, not 0. */
function coordinate(value: number | string | undefined): number | null {
  if (value === undefined) {
    return null;
  }
  if (typeof value === 'string' && value.trim() === '') {
    return null;
  }
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function summariseIssues(issues: z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  if (issues.length > shown.length) {
    shown.push(`and ${issues.length - shown.length} more`);
  }
  return `invalid user: ${shown.join('; ')}`;
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'string' ? `a string "${value.slice(0, 40)}"` : `a ${typeof value}`;
}
