// Verified agent credentials, remembered briefly so a heartbeat costs no Postgres read.
// Revocation (rotation, re-registration, deletion) drops entries here at once and, via
// Redis pub/sub, in every other process; the short TTL bounds the damage of a missed
// message (a subscriber that was reconnecting).
import { hash } from "node:crypto";
import { logger } from "../platform/logger";
import { redis } from "../platform/redis";
import type { AgentPrincipal } from "../platform/agent-principal";
import { CREDENTIALS_REVOKED_CHANNEL } from "./keys";

// Longer than a lease, so a heartbeating agent is verified from memory instead of three
// Postgres reads per call (at 10,000 clusters a 5 s TTL missed on every heartbeat and
// made those reads the agent API's main cost). Revocation does not wait for expiry: it
// is announced on pub/sub to every process, and a subscriber reconnect clears the cache.
export const CREDENTIAL_CACHE_TTL_MS = 300_000;
// Each entry lives a random time between three quarters of the TTL and the TTL. Entries
// cached together must not expire together: a fleet that reconnects at once (after a
// restart of the agent API, or a network partition healing) verifies every credential
// within seconds, and with one fixed TTL all of them expired in the same seconds five
// minutes later. At 10,000 clusters that sent every heartbeat of a 15 s stretch to
// Postgres and took the answers from 4 ms to 2 s (bench/README.md, "Long windows").
// Spread over the last quarter, the re-verifications come ~130/s at most.
const ttlMs = () => CREDENTIAL_CACHE_TTL_MS * (1 - Math.random() / 4);
const MAX_ENTRIES = 50_000;

interface Entry {
  principal: AgentPrincipal;
  expiresAt: number;
}

const entries = new Map<string, Entry>();
const keysById = new Map<string, Set<string>>();
// Ids revoked within the TTL: a lookup that read Postgres just before the revocation
// committed must not put the credential back into the cache.
const recentlyRevoked = new Map<string, number>();

/** Keyed by id and a hash of the secret: a wrong secret for a cached id never hits. */
export const cacheKey = (credentialId: string, secret: string) => `${credentialId}:${hash("sha256", secret, "base64url")}`;

export function getCachedCredential(k: string, now = Date.now()): AgentPrincipal | null {
  const e = entries.get(k);
  if (!e) return null;
  if (e.expiresAt <= now) {
    drop(k, e.principal.credentialId);
    return null;
  }
  return e.principal;
}

export function cacheCredential(k: string, principal: AgentPrincipal, now = Date.now()) {
  const revokedUntil = recentlyRevoked.get(principal.credentialId);
  if (revokedUntil !== undefined && revokedUntil > now) return;
  if (entries.size >= MAX_ENTRIES) sweep(now);
  entries.set(k, { principal, expiresAt: now + ttlMs() });
  let set = keysById.get(principal.credentialId);
  if (!set) keysById.set(principal.credentialId, (set = new Set()));
  set.add(k);
}

function drop(k: string, credentialId: string) {
  entries.delete(k);
  const set = keysById.get(credentialId);
  if (set?.delete(k) && set.size === 0) keysById.delete(credentialId);
}

function sweep(now: number) {
  for (const [id, until] of recentlyRevoked) if (until <= now) recentlyRevoked.delete(id);
  for (const [k, e] of entries) if (e.expiresAt <= now) drop(k, e.principal.credentialId);
  // Still full of live entries: forget the oldest half rather than grow without bound.
  if (entries.size >= MAX_ENTRIES) for (const [k, e] of [...entries].slice(0, MAX_ENTRIES / 2)) drop(k, e.principal.credentialId);
}

/** Forget these credentials in this process (the subscriber calls it for other processes' revocations). */
export function forgetCredentials(credentialIds: readonly string[], now = Date.now()) {
  if (recentlyRevoked.size > MAX_ENTRIES) for (const [id, until] of recentlyRevoked) if (until <= now) recentlyRevoked.delete(id);
  for (const id of credentialIds) {
    recentlyRevoked.set(id, now + CREDENTIAL_CACHE_TTL_MS);
    for (const k of [...(keysById.get(id) ?? [])]) drop(k, id);
  }
}

/** Forget everything (after a lost subscription, revocations may have been missed). */
export function clearCredentialCache() {
  entries.clear();
  keysById.clear();
}

/** After a revocation commits: forget here, and tell every other process. */
export async function announceCredentialRevocation(credentialIds: readonly string[]) {
  if (credentialIds.length === 0) return;
  forgetCredentials(credentialIds);
  try {
    await redis().publish(CREDENTIALS_REVOKED_CHANNEL, JSON.stringify(credentialIds));
  } catch (err) {
    // Postgres already says revoked; other processes stop trusting their copy within the TTL.
    logger.warn({ err, count: credentialIds.length }, "could not announce credential revocation");
  }
}
