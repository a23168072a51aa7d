// An agent's report on a revision. Every ack is kept; the applied revision only moves
// forward, and only for an APPLIED ack whose hash is the one we published (an agent
// acking stale or foreign content must not claim convergence).
import type { AckRequest } from "../../protocol/index";
import type { AgentPrincipal } from "../platform/agent-principal";
import { writeEvents, type ClusterEvent } from "../events/events";
import { db } from "../platform/db/client";
import { ackTarget, pokeRollouts, type AckedTarget } from "../rollouts/ack-target";

export async function recordAck(agent: AgentPrincipal, ack: AckRequest): Promise<{ ok: true; appliedRevision: number }> {
  const { tenantId, clusterId } = agent;
  let acked: AckedTarget[] = [];
  const result = await db().$transaction(async (tx) => {
    const published = await tx.configRevision.findFirst({ where: { tenantId, clusterId, revision: ack.revision }, select: { hash: true } });
    await tx.configAck.create({
      data: {
        tenantId,
        clusterId,
        revision: ack.revision,
        hash: ack.hash,
        status: ack.status,
        message: ack.message ?? null,
        objects: ack.objects ?? undefined,
      },
    });
    const events: ClusterEvent[] = [];
    const base = { tenantId, clusterId, data: { revision: ack.revision, hash: ack.hash } };
    if (!published || published.hash !== ack.hash) {
      const why = published ? "its hash differs from the published one" : "no such revision was published";
      events.push({
        ...base,
        type: "config.ack-mismatch",
        severity: "WARNING",
        message: `${agent.clusterName} acknowledged revision ${ack.revision}, but ${why}`,
      });
    } else {
      // The rollout that published this revision learns how it went.
      acked = await ackTarget(tx, tenantId, clusterId, ack);
    }
    if (published?.hash === ack.hash && ack.status === "APPLIED") {
      await tx.cluster.updateMany({ where: { id: clusterId, tenantId, appliedRevision: { lt: ack.revision } }, data: { appliedRevision: ack.revision } });
    }
    // The agent found objects of an applied revision changed by hand and put them back
    // (it re-acks that revision with each such object's result starting "drift:").
    const drifted = (ack.objects ?? []).filter((o) => o.result?.startsWith("drift:"));
    if (drifted.length) {
      const list = drifted
        .slice(0, 10)
        .map((o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name} (${o.result!.slice(6).trim()})`)
        .join(", ");
      events.push({
        ...base,
        type: "config.drift",
        severity: "WARNING",
        message:
          `${agent.clusterName}: ${drifted.length} object${drifted.length > 1 ? "s" : ""} of revision ${ack.revision} changed outside Isthmus: ${list}`.slice(
            0,
            1000,
          ),
      });
    }
    if (ack.status === "FAILED") {
      const detail = ack.message ? `: ${ack.message.slice(0, 500)}` : "";
      events.push({
        ...base,
        type: "config.apply-failed",
        severity: "WARNING",
        message: `${agent.clusterName} failed to apply revision ${ack.revision}${detail}`,
      });
    }
    await writeEvents(tx, events);
    const row = await tx.cluster.findFirst({ where: { id: clusterId, tenantId }, select: { appliedRevision: true } });
    return { ok: true as const, appliedRevision: row?.appliedRevision ?? 0 };
  });
  if (acked.length > 0) await pokeRollouts(tenantId, acked);
  return result;
}
