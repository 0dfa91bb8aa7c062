import { z } from 'zod';

/** Nationality codes the randomuser.me API 1.4 knows (1.0/1.1 lack NO, IN, MX, RS, UA). */
export const NATIONALITIES = [
  'AU',
  'BR',
  'CA',
  'CH',
  'DE',
  'DK',
  'ES',
  'FI',
  'FR',
  'GB',
  'IE',
  'IN',
  'IR',
  'MX',
  'NL',
  'NO',
  'NZ',
  'RS',
  'TR',
  'UA',
  'US',
] as const;
export const Nationality = z.enum(NATIONALITIES);
export type Nationality = z.infer<typeof Nationality>;

/** Country names by nationality, used when an old API version sends no `location.country`. */
export const COUNTRY_BY_NAT: Record<Nationality, string> = {
  AU: 'Australia',
  BR: 'Brazil',
  CA: 'Canada',
  CH: 'Switzerland',
  DE: 'Germany',
  DK: 'Denmark',
  ES: 'Spain',
  FI: 'Finland',
  FR: 'France',
  GB: 'United Kingdom',
  IE: 'Ireland',
  IN: 'India',
  IR: 'Iran',
  MX: 'Mexico',
  NL: 'Netherlands',
  NO: 'Norway',
  NZ: 'New Zealand',
  RS: 'Serbia',
  TR: 'Turkey',
  UA: 'Ukraine',
  US: 'United States',
};

const text = z.string();
const numberish = z.union([z.number(), z.string()]);
/** dob/registered: Unix seconds (1.0), "YYYY-MM-DD hh:mm:ss" (1.1), `{ date, age }` (1.2+). */
const dateField = z.union([
  z.number(),
  z.string(),
  z.object({ date: z.string(), age: z.number().optional() }),
]);

/**
 * A user as the randomuser.me API returns it, in any version 1.0-1.4, possibly cut down by `inc=`.
 * Every section is optional; what the processor cannot do without is checked when it transforms.
 */
export const RawUser = z
  .object({
    gender: text.optional(),
    name: z.object({ title: text.optional(), first: text, last: text }).optional(),
    location: z
      .object({
        street: z.union([text, z.object({ number: numberish, name: text })]).optional(),
        city: text.optional(),
        state: text.optional(),
        country: text.optional(),
        postcode: numberish.optional(),
        coordinates: z.object({ latitude: numberish, longitude: numberish }).optional(),
        timezone: z.object({ offset: text, description: text }).optional(),
      })
      .optional(),
    email: text.optional(),
    login: z.object({ uuid: text.optional(), username: text.optional() }).loose().optional(),
    dob: dateField.optional(),
    registered: dateField.optional(),
    phone: text.optional(),
    cell: text.optional(),
    id: z.object({ name: text.nullable().optional(), value: text.nullable().optional() }).optional(),
    picture: z.object({ large: text, medium: text, thumbnail: text }).partial().optional(),
    nat: text.optional(),
  })
  .loose();
export type RawUser = z.infer<typeof RawUser>;

/** The randomuser.me response envelope. */
export const RandomUserResponse = z.object({
  results: z.array(z.unknown()),
  info: z
    .object({
      seed: z.string().optional(),
      results: z.number().optional(),
      page: z.number().optional(),
      version: z.string().optional(),
    })
    .optional(),
});

/** A user as userstream stores it in Cassandra and serves it. */
export const StoredUser = z.object({
  id: z.string(),
  title: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  gender: z.string().nullable(),
  email: z.string().nullable(),
  username: z.string().nullable(),
  dob: z.string().nullable(),
  age: z.number().int().nullable(),
  registered: z.string().nullable(),
  phone: z.string().nullable(),
  cell: z.string().nullable(),
  pictureLarge: z.string().nullable(),
  pictureMedium: z.string().nullable(),
  pictureThumbnail: z.string().nullable(),
  street: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  country: z.string().nullable(),
  postcode: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  timezoneOffset: z.string().nullable(),
  timezoneDescription: z.string().nullable(),
  nat: z.string().nullable(),
  source: z.string(),
  runId: z.string().nullable(),
  /** Lineage (null on rows stored before lineage was recorded): when the source page arrived, */
  fetchedAt: z.string().nullable(),
  /** when it was produced to Kafka, */
  ingestedAt: z.string().nullable(),
  /** where it was read from, */
  kafkaTopic: z.string().nullable(),
  kafkaPartition: z.number().int().nullable(),
  /** a 64-bit offset, as a string */
  kafkaOffset: z.string().nullable(),
  /** and when the processor took it. */
  processedAt: z.string(),
});
export type StoredUser = z.infer<typeof StoredUser>;
