// Redeeming one use of a registration token, atomically: a single conditional UPDATE,
// so of two agents racing for the last use exactly one wins, and the use is given back
// if the rest of the enrolment (same transaction) fails.
import { ERROR_CODES } from "../../protocol/index";
import { parseSecret, verifySecret } from "../auth/secrets";
import { ProtocolError } from "../platform/protocol-error";
import type { Tx } from "../platform/db/client";
import { tokenRefusal, type TokenRefusal } from "./token-state";

export interface RedeemedToken {
  id: string;
  tenantId: string;
  name: string;
  labels: unknown;
  siteType: "EDGE" | "CLOUD" | "ONPREM" | null;
}

const REFUSAL: Record<TokenRefusal, { code: string; message: string }> = {
  REVOKED: { code: ERROR_CODES.tokenRevoked, message: "registration token has been revoked" },
  EXPIRED: { code: ERROR_CODES.tokenExpired, message: "registration token has expired" },
  USED_UP: { code: ERROR_CODES.tokenUsedUp, message: "registration token has no uses left" },
};

export function unknownToken() {
  return new ProtocolError("UNAUTHORIZED", ERROR_CODES.tokenUnknown, "registration token is unknown (malformed, mistyped or deleted)");
}

export async function consumeRegistrationToken(tx: Tx, presented: string): Promise<RedeemedToken> {
  const parsed = parseSecret("isr", presented);
  if (!parsed) throw unknownToken();
  const row = await tx.registrationToken.findUnique({
    where: { id: parsed.id },
    select: { id: true, tenantId: true, name: true, secretHash: true, revokedAt: true, expiresAt: true, maxUses: true, uses: true },
  });
  if (!row || !verifySecret(row.secretHash, parsed.secret)) throw unknownToken();
  const subject = { tenantId: row.tenantId, tokenId: row.id, tokenName: row.name };

  const won = await tx.$queryRaw<RedeemedToken[]>`
    UPDATE "RegistrationToken"
       SET "uses" = "uses" + 1, "lastUsedAt" = (now() AT TIME ZONE 'UTC')
     WHERE "id" = ${row.id} AND "tenantId" = ${row.tenantId}
       AND "revokedAt" IS NULL
       AND "expiresAt" > (now() AT TIME ZONE 'UTC')
       AND ("maxUses" IS NULL OR "uses" < "maxUses")
    RETURNING "id", "tenantId", "name", "labels", "siteType"::text AS "siteType"`;
  if (won[0]) return won[0];

  // Lost: read the row again (after the winner committed) to say why.
  const now = await tx.registrationToken.findFirst({
    where: { id: row.id, tenantId: row.tenantId },
    select: { revokedAt: true, expiresAt: true, maxUses: true, uses: true },
  });
  if (!now) throw unknownToken();
  const reason = REFUSAL[tokenRefusal(now) ?? "USED_UP"];
  throw new ProtocolError("UNAUTHORIZED", reason.code, `${reason.message} ("${row.name}")`, subject);
}
