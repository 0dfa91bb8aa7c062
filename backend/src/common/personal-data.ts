import type { StoredUser } from '@userstream/contracts';

/**
 * Personal data, masked for viewers and operators wherever it leaves the API: topic messages, `/api/users`
 * and the live stream. The one list of what is personal is here; how a field is masked depends on where
 * it goes (below).
 */
export const MASK = '***';

/**
 * Personal fields, masked wherever they occur (a user can be nested in an envelope or an array): the
 * randomuser.me shape (`email`, `login.*`, `location.street`...) and the processed shape
 * (`username`, `pictureLarge`, `latitude`...).
 */
export const PERSONAL_KEYS: ReadonlySet<string> = new Set([
  'email',
  'phone',
  'cell',
  'dob',
  'picture',
  'login',
  'street',
  'coordinates',
  'username',
  'pictureLarge',
  'pictureMedium',
  'pictureThumbnail',
  'latitude',
  'longitude',
]);
/** Keys personal only under a given parent: `id.value` (national id number). */
const PERSONAL_UNDER: Record<string, string> = { value: 'id' };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `jane.doe@example.com` -> `j***@example.com`: still an address, the domain kept, the person hidden. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) {
    return MASK;
  }
  return `${email.charAt(0)}${MASK}${email.slice(at)}`;
}

/** `(555) 123-4567` -> `(***) ***-****`: the layout stays, every letter and digit goes. */
export const maskPhone = (phone: string): string => phone.replace(/[\p{L}\p{N}]/gu, '*');

/** `ada_l` -> `a***`. */
export const maskHandle = (handle: string): string => (handle === '' ? handle : `${handle.charAt(0)}${MASK}`);

/** A personal value in free-form JSON (a topic message): objects keep their keys, with every value masked. */
function maskAll(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(maskAll);
  }
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, maskAll(child)]));
  }
  return value === null ? null : MASK;
}

/** Whether a key holds personal data (`parentKey`: the key of the object it is in, if any). */
export const isPersonalKey = (key: string, parentKey?: string): boolean =>
  PERSONAL_KEYS.has(key) || (parentKey !== undefined && PERSONAL_UNDER[key] === parentKey);

/**
 * A copy of a parsed JSON value (a topic message) with personal fields masked. A dead letter's `value` (the
 * original record, base64) is masked whole: its bytes are a user too.
 */
export function maskPersonalFields(value: unknown, parentKey?: string): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => maskPersonalFields(item, parentKey));
  }
  if (!isRecord(value)) {
    return value;
  }
  const deadLetter = typeof value['reason'] === 'string' && typeof value['value'] === 'string';
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      const personal = isPersonalKey(key, parentKey) || (deadLetter && key === 'value');
      return [key, personal ? maskAll(child) : maskPersonalFields(child, key)];
    }),
  );
}

type PersonalUserField = Extract<keyof StoredUser, string> & keyof typeof STORED_USER_MASKS;
const keep =
  <T>(mask: (value: NonNullable<T>) => T) =>
  (value: T) =>
    value === null ? value : mask(value!);

/**
 * How each personal field of a served user is masked, keeping its type so the dashboard still renders:
 * the date of birth, coordinates and pictures become null (the age stays), the street `***`.
 */
const STORED_USER_MASKS = {
  email: keep<string | null>(maskEmail),
  phone: keep<string | null>(maskPhone),
  cell: keep<string | null>(maskPhone),
  username: keep<string | null>(maskHandle),
  street: keep<string | null>(() => MASK),
  dob: () => null,
  latitude: () => null,
  longitude: () => null,
  pictureLarge: () => null,
  pictureMedium: () => null,
  pictureThumbnail: () => null,
} satisfies { [K in keyof StoredUser]?: (value: StoredUser[K]) => StoredUser[K] };

/** The fields of a served user that are personal: exactly those named in PERSONAL_KEYS (checked by the spec). */
export const PERSONAL_USER_FIELDS = Object.keys(STORED_USER_MASKS) as PersonalUserField[];

/** A served user (`/api/users`, the live stream) with its personal fields masked. */
export function maskStoredUser(user: StoredUser): StoredUser {
  const masked: StoredUser = { ...user };
  for (const field of PERSONAL_USER_FIELDS) {
    (masked as Record<PersonalUserField, unknown>)[field] = (
      STORED_USER_MASKS[field] as (value: unknown) => unknown
    )(user[field]);
  }
  return masked;
}
