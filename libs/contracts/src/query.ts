import { z } from 'zod';

/** `true`/`false` (also 1/0, yes/no) in a query string; plain `z.coerce.boolean()` would read "false" as true. */
export const queryFlag = z.stringbool().default(false);
