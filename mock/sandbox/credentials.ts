// Client secrets and access tokens. Secrets are stored only as scrypt hashes (salted, compared in constant time);
// tokens are 256 random bits, stored only as their SHA-256 (a token is unguessable, so a fast hash is enough).
import { hash, randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";

const N = 16_384;
const r = 8;
const p = 1;
const keyLength = 32;

function scryptAsync(secret: string, salt: Buffer, cost: number, blockSize: number, parallel: number) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(secret, salt, keyLength, { N: cost, r: blockSize, p: parallel, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url parts): what the store keeps instead of the secret. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, N, r, p);
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** A hash of a secret nobody has: verifying against it costs the same as against a real one. */
export const decoyHash = `scrypt$${N}$${r}$${p}$${Buffer.alloc(16).toString("base64url")}$${Buffer.alloc(32).toString("base64url")}`;

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, cost, blockSize, parallel, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await scryptAsync(
    secret,
    Buffer.from(salt, "base64url"),
    Number(cost),
    Number(blockSize),
    Number(parallel),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A new client secret for create-app / reset-secret: 192 random bits. */
export const newClientSecret = (): string => randomBytes(24).toString("base64url");

/**
 * A new access token: the time it was issued (9 base-36 digits of epoch milliseconds), then 256 random bits from
 * the CSPRNG (base64url, 43 characters). The random bits are what make it unguessable; the time is there so the
 * keys of tokens issued one after another sort one after another (tokenKey): the store's token index is then
 * appended to, a page or two per group of tokens, where a key of the hash alone wrote one random page of it per
 * token (issuing cost ~39 µs of CPU per token here, ~26 µs with the appended index). The time tells a holder
 * nothing it did not know. The random bytes come from a pool of 256 tokens' worth filled by one randomBytes call
 * (as crypto.randomUUID pools its entropy): one call per token cost ~7% of token issuance's CPU. Bytes are wiped
 * from the pool as they are handed out, so no issued token lingers in it.
 */
const TOKEN_BYTES = 32;
const ISSUED_CHARS = 9;
const TOKEN_CHARS = ISSUED_CHARS + Math.ceil((TOKEN_BYTES * 4) / 3);
const POOL_BYTES = TOKEN_BYTES * 256;
let pool = Buffer.alloc(0);
let poolOffset = 0;
export function newAccessToken(now: number): string {
  if (poolOffset >= pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const issued = Math.max(0, Math.floor(now)).toString(36).padStart(ISSUED_CHARS, "0");
  const token = issued + pool.toString("base64url", poolOffset, poolOffset + TOKEN_BYTES);
  pool.fill(0, poolOffset, poolOffset + TOKEN_BYTES);
  poolOffset += TOKEN_BYTES;
  return token;
}

/**
 * The key under which a token is stored (the tokens table's token_hash) and cached: the issue time the token
 * starts with, then the token's SHA-256 (one-shot crypto.hash: no Hash object per request). A token with a forged
 * time has another hash, so it matches no key. Tokens of earlier versions (43 characters, no time) are stored
 * under their SHA-256 alone, and still found.
 */
export function tokenKey(token: string): string {
  const digest = hash("sha256", token, "base64url");
  return token.length === TOKEN_CHARS ? token.slice(0, ISSUED_CHARS) + digest : digest;
}

/** Synchronous variant for seeding and the admin CLI, where nothing else waits on the event loop. */
export function hashSecretSync(secret: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(secret, salt, keyLength, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}
