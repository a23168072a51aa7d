// GET /api/agent/v1/install/<id>.yaml: the agent's manifests with the registration
// token inside, for `curl … | kubectl apply -f -`. Presenting the token proves the
// caller may have it back inside a Secret; the token id in the path must be the
// token's own. Rendering does not spend a use (enrolment does), but a token that could
// no longer enrol gets the same refusal the agent would, instead of YAML that would
// only fail later inside the cluster.
import { ERROR_CODES } from "../../protocol/index";
import { parseSecret, verifySecret } from "../auth/secrets";
import { ProtocolError } from "../platform/protocol-error";
import { db } from "../platform/db/client";
import { env } from "../platform/env";
import { unknownToken } from "./consume-registration-token";
import { renderAgentInstall } from "./render-install";
import { tokenRefusal, type TokenRefusal } from "./token-state";

const REFUSAL: Record<TokenRefusal, { code: string; message: string }> = {
  REVOKED: { code: ERROR_CODES.tokenRevoked, message: "registration token has been revoked; create a new one in the console" },
  EXPIRED: { code: ERROR_CODES.tokenExpired, message: "registration token has expired; create a new one in the console" },
  USED_UP: {
    code: ERROR_CODES.tokenUsedUp,
    message: "registration token has no uses left (it already enrolled its clusters); create a new one in the console",
  },
};

/** The token presented with an install request: `?token=` or `Authorization: Bearer`. */
export function presentedInstallToken(search: URLSearchParams, authorization: string | undefined): string | null {
  const q = search.get("token");
  if (q) return q;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return m ? m[1]! : null;
}

export async function installManifest(pathId: string, presented: string | null): Promise<string> {
  if (!presented) {
    throw new ProtocolError("UNAUTHORIZED", ERROR_CODES.tokenUnknown, "registration token missing: send it as ?token=… or in an Authorization: Bearer header");
  }
  const parsed = parseSecret("isr", presented);
  if (!parsed || parsed.id !== pathId) throw unknownToken();
  const row = await db().registrationToken.findUnique({
    where: { id: parsed.id },
    select: { id: true, name: true, secretHash: true, revokedAt: true, expiresAt: true, maxUses: true, uses: true },
  });
  if (!row || !verifySecret(row.secretHash, parsed.secret)) throw unknownToken();
  const refusal = tokenRefusal(row);
  if (refusal) {
    const r = REFUSAL[refusal];
    throw new ProtocolError("UNAUTHORIZED", r.code, `${r.message} ("${row.name}")`);
  }
  const e = env();
  return renderAgentInstall({ server: e.PUBLIC_URL, token: presented, image: e.AGENT_IMAGE });
}
