// Prefixed bearer secrets: `<prefix>_<id>.<secret>`. The id locates the row; only a
// SHA-256 of the secret is stored (the secret is 256 random bits, so a slow hash adds
// nothing), and comparison is constant-time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export type SecretPrefix = "ist" | "isr" | "isa" | "isi";

export interface IssuedSecret {
  id: string;
  token: string;
  hash: string;
}

const ID_RE = /^[a-z0-9]{20}$/;
const SECRET_RE = /^[A-Za-z0-9_-]{43}$/;

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function newId(): string {
  // 20 base36 characters ≈ 103 bits: unguessable, URL-safe, fixed length.
  const bytes = randomBytes(20);
  let out = "";
  for (const b of bytes) out += (b % 36).toString(36);
  return out;
}

export function issueSecret(prefix: SecretPrefix): IssuedSecret {
  const id = newId();
  const secret = randomBytes(32).toString("base64url");
  return { id, token: `${prefix}_${id}.${secret}`, hash: hashSecret(secret) };
}

/** Split a presented token; null when it is not of this prefix's shape at all. */
export function parseSecret(prefix: SecretPrefix, token: string): { id: string; secret: string } | null {
  if (typeof token !== "string" || !token.startsWith(`${prefix}_`)) return null;
  const body = token.slice(prefix.length + 1);
  const dot = body.indexOf(".");
  if (dot < 0) return null;
  const id = body.slice(0, dot);
  const secret = body.slice(dot + 1);
  if (!ID_RE.test(id) || !SECRET_RE.test(secret)) return null;
  return { id, secret };
}

export function verifySecret(storedHash: string, secret: string): boolean {
  const a = Buffer.from(storedHash, "hex");
  const b = Buffer.from(hashSecret(secret), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
