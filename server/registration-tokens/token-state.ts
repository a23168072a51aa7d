// Whether a registration token can still enrol a cluster, and if not, why: the one rule
// the console's list and the enrolment refusal share.
export type TokenRefusal = "REVOKED" | "EXPIRED" | "USED_UP";

interface TokenCounters {
  revokedAt: Date | null;
  expiresAt: Date;
  maxUses: number | null;
  uses: number;
}

/** Uses left, or null for a token with unlimited uses. */
export function usesLeft(t: Pick<TokenCounters, "maxUses" | "uses">): number | null {
  return t.maxUses === null ? null : Math.max(0, t.maxUses - t.uses);
}

/** Why the token cannot be redeemed now (revoked wins over expired, expired over used up), or null. */
export function tokenRefusal(t: TokenCounters, now = new Date()): TokenRefusal | null {
  if (t.revokedAt) return "REVOKED";
  if (t.expiresAt.getTime() <= now.getTime()) return "EXPIRED";
  if (usesLeft(t) === 0) return "USED_UP";
  return null;
}
