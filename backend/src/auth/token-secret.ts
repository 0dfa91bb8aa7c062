import { createHash, randomBytes } from 'node:crypto';

/** Issued tokens: a recognisable prefix (secret scanners, logs review) and 256 random bits. */
export const TOKEN_PREFIX = 'us_';

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * The stored form of a token. A plain sha256 is enough here, unlike for passwords: tokens carry 256 bits of
 * randomness (the configured admin token at least 32 characters), so there is no dictionary to try and a slow,
 * salted KDF would buy nothing; being deterministic, the hash is also the lookup key (a unique index).
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
