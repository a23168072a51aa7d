// An agent's report on a revision. Every ack is kept; the applied revision only moves
// forward, and only for an APPLIED ack whose hash is the one we published (an agent
// acking stale or foreign content must not claim convergence).
//
// The ack is one statement (write-acks.ts): a rollout acks every target it publishes at
// once, and a transaction of six round trips per ack was most of what stood between a
// publish and its last ack. APPLIED acks that raise no event share that statement with
// the acks around them (ack-batch.ts); the rare acks that carry an event (a FAILED
// apply, drift put back) write it in the same transaction; a hash mismatch's warning is
// written right after, as the ack row it explains is already kept.
import { writeAckBatched } from "./ack-batch";
import type { AckRequest } from "../../protocol/index";
import type { AgentPrincipal } from "../platform/agent-principal";
import { writeEvents, type ClusterEvent } from "../events/events";
import { db } from "../platform/db/client";
import { pokeRollouts } from "./ack-target";
import { writeAcks } from "./write-acks";

/** The events an ack raises besides the mismatch warning: a failed apply, drift put back. */
function ackEvents(agent: AgentPrincipal, ack: AckRequest): ClusterEvent[] {
  const events: ClusterEvent[] = [];
  const base = { tenantId: agent.tenantId, clusterId: agent.clusterId, data: { revision: ack.revision, hash: ack.hash } };
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
  return events;
}

export async function recordAck(agent: AgentPrincipal, ack: AckRequest): Promise<{ ok: true; appliedRevision: number }> {
  const { tenantId, clusterId } = agent;
  const events = ackEvents(agent, ack);
  // A FAILED ack always raises an event, so an ack without one is APPLIED: it shares a
  // statement with the acks around it. One with events writes them in its transaction.
  const outcome =
    events.length === 0
      ? await writeAckBatched({ tenantId, clusterId, ack })
      : await db().$transaction(async (tx) => {
          const [o] = await writeAcks(tx, [{ tenantId, clusterId, ack }]);
          await writeEvents(tx, events);
          return o!;
        });
  if (outcome.published !== ack.hash) {
    const why = outcome.published ? "its hash differs from the published one" : "no such revision was published";
    await writeEvents(db(), [
      {
        tenantId,
        clusterId,
        data: { revision: ack.revision, hash: ack.hash },
        type: "config.ack-mismatch",
        severity: "WARNING",
        message: `${agent.clusterName} acknowledged revision ${ack.revision}, but ${why}`,
      },
    ]);
  }
  // A batched ack's rollouts were asked for their next step by its batch, once.
  if (outcome.acked?.length) await pokeRollouts(tenantId, outcome.acked);
  return { ok: true, appliedRevision: outcome.applied ?? 0 };
}
