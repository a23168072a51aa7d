// An agent's report on a revision. Every ack is kept; the applied revision only moves
// forward, and only for an APPLIED ack whose hash is the one we published (an agent
// acking stale or foreign content must not claim convergence).
//
// The ack is one statement: a rollout acks every target it publishes at once, and a
// transaction of six round trips per ack was most of what stood between a publish and
// its last ack. APPLIED acks that raise no event share a statement with the acks
// around them (ack-batch.ts). The rare acks that also carry an event (a FAILED apply, drift put
// back) write it in the same transaction; a hash mismatch's warning is written right
// after, as the ack row it explains is already kept.
import { randomUUID } from "node:crypto";
import { writeAckBatched } from "./ack-batch";
import type { AckRequest } from "../../protocol/index";
import type { AgentPrincipal } from "../platform/agent-principal";
import { writeEvents, type ClusterEvent } from "../events/events";
import { db, type Tx } from "../platform/db/client";
import { pokeRollouts, type AckedTarget } from "./ack-target";

export interface AckOutcome {
  published: string | null;
  acked: AckedTarget[] | null;
  applied: number | null;
}

/** Record the ack, move its rollout target and the applied revision; one round trip. */
async function writeAck(tx: Tx, tenantId: string, clusterId: string, ack: AckRequest): Promise<AckOutcome> {
  const message = ack.message ?? null;
  const targetMessage = ack.message?.slice(0, 1000) ?? null;
  const failed = ack.status === "FAILED";
  const evidence = failed ? JSON.stringify({ ack: { revision: ack.revision, status: ack.status, message: targetMessage } }) : null;
  const objects = ack.objects ? JSON.stringify(ack.objects) : null;
  // Every CTE sees the snapshot from before the statement, so the applied revision is
  // the updated one when it moved and the stored one otherwise.
  const [row] = await tx.$queryRaw<AckOutcome[]>`
    WITH pub AS (
      SELECT "hash" FROM "ConfigRevision" WHERE "tenantId" = ${tenantId} AND "clusterId" = ${clusterId} AND "revision" = ${ack.revision}
    ), kept AS (
      INSERT INTO "ConfigAck" ("id", "tenantId", "clusterId", "revision", "hash", "status", "message", "objects")
      VALUES (${randomUUID()}, ${tenantId}, ${clusterId}, ${ack.revision}, ${ack.hash}, ${ack.status}::"AckStatus", ${message}, ${objects}::jsonb)
      RETURNING 1
    ), target AS (
      -- The rollout that published this revision with this hash learns how it went
      -- (also converging an offline target when its agent returns).
      UPDATE "RolloutTarget" SET "state" = ${ack.status}, "ackedAt" = now(), "updatedAt" = now(),
             "reason" = ${failed ? targetMessage : null}, "evidence" = ${evidence}::jsonb
       WHERE "tenantId" = ${tenantId} AND "clusterId" = ${clusterId} AND "toRevision" = ${ack.revision} AND "hash" = ${ack.hash}
         AND "state" IN ('PUBLISHED', 'OFFLINE_PENDING') AND EXISTS (SELECT 1 FROM pub WHERE pub."hash" = ${ack.hash})
      RETURNING "rolloutId", "wave", "state"
    ), moved AS (
      UPDATE "Cluster" SET "appliedRevision" = ${ack.revision}
       WHERE "id" = ${clusterId} AND "tenantId" = ${tenantId} AND "appliedRevision" < ${ack.revision}
         AND ${ack.status}::text = 'APPLIED' AND EXISTS (SELECT 1 FROM pub WHERE pub."hash" = ${ack.hash})
      RETURNING "appliedRevision"
    )
    SELECT (SELECT "hash" FROM pub) AS "published",
           (SELECT json_agg(json_build_object('rolloutId', "rolloutId", 'wave', "wave", 'state', "state")) FROM target) AS "acked",
           COALESCE((SELECT "appliedRevision" FROM moved), (SELECT "appliedRevision" FROM "Cluster" WHERE "id" = ${clusterId} AND "tenantId" = ${tenantId})) AS "applied",
           (SELECT count(*) FROM kept)::int AS "kept"`;
  return row!;
}

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
  const outcome =
    events.length === 0 && ack.status === "APPLIED"
      ? await writeAckBatched(tenantId, clusterId, ack, () => writeAck(db(), tenantId, clusterId, ack))
      : events.length === 0
        ? await writeAck(db(), tenantId, clusterId, ack)
        : await db().$transaction(async (tx) => {
            const o = await writeAck(tx, tenantId, clusterId, ack);
            await writeEvents(tx, events);
            return o;
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
