// Webhook signing secrets at rest. Unlike API tokens (of which a hash suffices), a
// signing secret is needed in clear every time a message is signed, so it is stored
// encrypted: AES-256-GCM under a key derived (HKDF-SHA256) from the server secret
// NEXTAUTH_SECRET, with a fresh IV per secret. A database dump alone does not reveal it;
// rotating NEXTAUTH_SECRET makes stored secrets unreadable (deliveries then fail with a
// clear error and the webhook must be re-created).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../platform/env";

// The same development fallback next-auth uses (server/auth/next-auth.ts); production
// requires NEXTAUTH_SECRET (server/platform/env.ts).
const DEV_SECRET = "isthmus-development-secret-change-me";
const VERSION = "v1";

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", env().NEXTAUTH_SECRET ?? DEV_SECRET, "isthmus", "webhook-signing-secret", 32));
}

export function seal(plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return [VERSION, iv.toString("base64url"), c.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function open(sealed: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || !data) throw new Error("webhook secret: unknown format");
  const d = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  d.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([d.update(Buffer.from(data, "base64url")), d.final()]).toString("utf8");
}

/** A new signing secret in the Standard Webhooks format: "whsec_" + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}
