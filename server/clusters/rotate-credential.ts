// An agent replaces its own credential; the old one stops working at once here and,
// through the revocation announcement, in every other process.
import { writeAudit } from "../audit/write-audit";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { agentActor, type AgentPrincipal } from "../platform/agent-principal";
import { announceCredentialRevocation } from "./credential-cache";
import { issueAgentCredential } from "./issue-credential";

export async function rotateAgentCredential(agent: AgentPrincipal, sourceIp: string | null = null): Promise<{ credential: string }> {
  const { tenantId, clusterId } = agent;
  const issued = await db().$transaction(async (tx) => {
    const cluster = await tx.cluster.findFirst({ where: { id: clusterId, tenantId }, select: { id: true } });
    if (!cluster) throw new AppError("UNAUTHORIZED", "agent credential is invalid or revoked; the cluster may have been deleted (register it again)");
    const cred = await issueAgentCredential(tx, tenantId, clusterId);
    await writeAudit(tx, {
      tenantId,
      actor: agentActor(agent, sourceIp),
      action: "cluster.credential-rotate",
      targetType: "cluster",
      targetId: clusterId,
      after: { credentialId: cred.credentialId },
    });
    return cred;
  });
  await announceCredentialRevocation(issued.revokedIds);
  return { credential: issued.credential };
}
