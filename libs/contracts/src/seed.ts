import { z } from 'zod';

/**
 * One user as the Airflow + Spark tutorial's producer writes it to `users_created`: a flat JSON object, no key,
 * no headers. Its Spark job stores these fields as text in `spark_streams.created_users`; `post_code` is a
 * number for some countries and a string for others.
 */
export const SeedUser = z.object({
  id: z.uuid(),
  first_name: z.string(),
  last_name: z.string(),
  gender: z.string(),
  address: z.string(),
  post_code: z.union([z.string(), z.number()]),
  email: z.string(),
  username: z.string(),
  dob: z.string().optional(),
  registered_date: z.string(),
  phone: z.string(),
  picture: z.string(),
});
export type SeedUser = z.infer<typeof SeedUser>;

/** The tutorial's keyspace and table, created exactly as its Spark job does when missing. */
export const SEED_KEYSPACE = 'spark_streams';
export const SEED_TABLE = 'created_users';
