// The agent credential cache: entries verified together must not all expire together
// (a reconnecting fleet would send every request to Postgres in the same seconds), and
// the spread must never stretch an entry past the TTL or weaken revocation.
import { beforeEach, describe, expect, it } from "vitest";
import type { AgentPrincipal } from "../platform/agent-principal";
import { CREDENTIAL_CACHE_TTL_MS, cacheCredential, cacheKey, clearCredentialCache, forgetCredentials, getCachedCredential } from "./credential-cache";

const principal = (i: number): AgentPrincipal => ({
  credentialId: `cred${i}`,
  clusterId: `cluster${i}`,
  clusterName: `edge-${i}`,
  tenantId: "tenant1",
  tenantSlug: "acme",
  leaseDurationSeconds: 15,
});

const FLEET = 2_000;
const T0 = 1_000_000;
const keys = Array.from({ length: FLEET }, (_, i) => cacheKey(`cred${i}`, `secret-${i}`));

/** How many of the fleet's entries, all cached at T0, still answer at `at`. */
function hitsAt(at: number): number {
  let n = 0;
  for (const k of keys) if (getCachedCredential(k, at)) n++;
  return n;
}

describe("credential cache expiry", () => {
  beforeEach(() => {
    clearCredentialCache();
    keys.forEach((k, i) => cacheCredential(k, principal(i), T0));
  });

  it("keeps every entry for three quarters of the TTL", () => {
    expect(hitsAt(T0 + CREDENTIAL_CACHE_TTL_MS * 0.75 - 1)).toBe(FLEET);
  });

  it("spreads the expiry of entries cached together over the last quarter of the TTL", () => {
    // Read once per step, in order: an expired entry is dropped at its first miss.
    const alive: number[] = [];
    for (const f of [0.8, 0.85, 0.9, 0.95]) alive.push(hitsAt(T0 + CREDENTIAL_CACHE_TTL_MS * f));
    // Uniform over [0.75, 1): about 80 %, 60 %, 40 %, 20 % remain; none of the steps sees all or none go.
    const expected = [0.8, 0.6, 0.4, 0.2].map((share) => share * FLEET);
    alive.forEach((n, i) => expect(Math.abs(n - expected[i]!)).toBeLessThan(FLEET * 0.06));
  });

  it("never keeps an entry past the TTL", () => {
    expect(hitsAt(T0 + CREDENTIAL_CACHE_TTL_MS)).toBe(0);
  });

  it("still forgets a revoked credential at once, and does not take it back from a lookup that raced the revocation", () => {
    forgetCredentials(["cred7"], T0 + 1);
    expect(getCachedCredential(keys[7]!, T0 + 2)).toBeNull();
    expect(getCachedCredential(keys[8]!, T0 + 2)).toEqual(principal(8));
    // A lookup that read Postgres before the revocation committed tries to cache it again.
    cacheCredential(keys[7]!, principal(7), T0 + 3);
    expect(getCachedCredential(keys[7]!, T0 + 4)).toBeNull();
  });
});
