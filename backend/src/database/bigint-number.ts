import type { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; counters stay far below 2^53. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | null) => (value === null ? 0 : Number(value)),
};
