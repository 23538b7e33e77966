import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Token secrets: `baton_pat_` (API tokens) or `baton_ses_` (sign-in sessions), 30 random base62
 * characters, then a 6-character base62 CRC32 of them — so a secret scanner can recognise a Baton
 * token by its prefix and tell a real one from a typo without asking the server (GitHub's format).
 */
export const TOKEN_PREFIX = { personal: 'baton_pat_', session: 'baton_ses_' } as const;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY = 30;
const CHECK = 6;

function base62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62]! + out;
    n = Math.floor(n / 62);
  }
  return out;
}

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      // 248 = 4 × 62: reject the rest so every character is equally likely
      if (b < 248 && out.length < length) out += ALPHABET[b % 62]!;
    }
  }
  return out;
}

export function generateSecret(kind: keyof typeof TOKEN_PREFIX): string {
  const body = randomBase62(BODY);
  return `${TOKEN_PREFIX[kind]}${body}${base62(crc32(body), CHECK)}`;
}

/** True for a well-formed generated secret (prefix, length, checksum). */
export function hasValidChecksum(secret: string): boolean {
  const m = /^baton_(pat|ses)_([0-9A-Za-z]{30})([0-9A-Za-z]{6})$/.exec(secret);
  return m !== null && base62(crc32(m[2]!), CHECK) === m[3];
}

/** What the database stores: the secret's SHA-256 (hex). A token is found by this hash. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The part of a secret shown in lists (prefix plus 4 characters). */
export function displayPrefix(secret: string): string {
  const m = /^(baton_(?:pat|ses)_)/.exec(secret);
  return m ? secret.slice(0, m[1]!.length + 4) : `${secret.slice(0, 4)}…`;
}
