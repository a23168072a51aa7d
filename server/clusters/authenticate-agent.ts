// Bearer authentication of agents (`Authorization: Bearer isa_<id>.<secret>`). Every
// failure is the same 401, so a caller learns nothing about which credentials exist.
import { parseSecret, verifySecret } from "../auth/secrets";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import type { AgentPrincipal } from "../platform/agent-principal";
import { cacheCredential, cacheKey, getCachedCredential } from "./credential-cache";

const refused = (why: string) => new AppError("UNAUTHORIZED", why);

export async function authenticateAgent(authorization: string | undefined): Promise<AgentPrincipal> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!m) throw refused("send the agent credential as `Authorization: Bearer isa_…`");
  const parsed = parseSecret("isa", m[1]!);
  if (!parsed) throw refused("agent credential is invalid or revoked");
  const k = cacheKey(parsed.id, parsed.secret);
  const cached = getCachedCredential(k);
  if (cached) return cached;
  const row = await db().agentCredential.findUnique({
    where: { id: parsed.id },
    select: {
      id: true,
      secretHash: true,
      revokedAt: true,
      tenantId: true,
      cluster: { select: { id: true, name: true, tenantId: true, leaseDurationSeconds: true, tenant: { select: { slug: true } } } },
    },
  });
  if (!row || row.revokedAt || row.cluster.tenantId !== row.tenantId || !verifySecret(row.secretHash, parsed.secret)) {
    throw refused("agent credential is invalid or revoked; the cluster may have been deleted (register it again)");
  }
  const principal: AgentPrincipal = {
    credentialId: row.id,
    clusterId: row.cluster.id,
    clusterName: row.cluster.name,
    tenantId: row.tenantId,
    tenantSlug: row.cluster.tenant.slug,
    leaseDurationSeconds: row.cluster.leaseDurationSeconds,
  };
  cacheCredential(k, principal);
  return principal;
}
