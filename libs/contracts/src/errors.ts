import { z } from 'zod';

/** Body of every error the API returns. */
export const ApiError = z.object({
  statusCode: z.number(),
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiError>;
