// One live agent credential per cluster: issuing a new one revokes the others in the
// same transaction. Callers announce the revoked ids after commit.
import { issueSecret } from "../auth/secrets";
import type { Tx } from "../platform/db/client";

export async function issueAgentCredential(tx: Tx, tenantId: string, clusterId: string, now = new Date()) {
  const live = await tx.agentCredential.findMany({ where: { tenantId, clusterId, revokedAt: null }, select: { id: true } });
  if (live.length) await tx.agentCredential.updateMany({ where: { tenantId, clusterId, id: { in: live.map((c) => c.id) } }, data: { revokedAt: now } });
  const secret = issueSecret("isa");
  await tx.agentCredential.create({ data: { id: secret.id, tenantId, clusterId, secretHash: secret.hash } });
  return { credentialId: secret.id, credential: secret.token, revokedIds: live.map((c) => c.id) };
}
