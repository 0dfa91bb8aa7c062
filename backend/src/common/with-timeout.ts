/**
 * `promise`, or a rejection once `ms` have passed without it settling (`what: no answer within N ms`). The work
 * itself is not cancelled: the caller abandons it (and, for a client that may hang, replaces the client).
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what?: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what ? `${what}: ` : ''}no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
