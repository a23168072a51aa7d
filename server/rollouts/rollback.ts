// Rolling a rollout back: every target it already changed gets its previous content
// (the bundle of its from-revision) published as a new revision; targets not reached
// yet are cancelled. Runs inside the caller's transaction, under the rollout's lock.
import type { Bundle } from "../../protocol/index";
import { writeEvents } from "../events/events";
import { insertRevision } from "../config/publish-revision";
import type { Tx } from "../platform/db/client";

export const CHANGED_STATES = ["PUBLISHED", "APPLIED", "FAILED", "OFFLINE_PENDING"];

export interface StopOutcome {
  status: "FAILED" | "CANCELLED" | "ROLLED_BACK";
  failure: string;
  evidence?: Record<string, unknown>;
}

/** Returns cluster id → revision of the rollbacks published (to announce after commit). */
export async function rollBackInTx(tx: Tx, tenantId: string, rolloutId: string, outcome: StopOutcome, rollBack: boolean) {
  const published = new Map<string, number>();
  const targets = await tx.rolloutTarget.findMany({
    where: { rolloutId, tenantId, state: { in: rollBack ? [...CHANGED_STATES, "PENDING"] : ["PENDING"] } },
    select: { id: true, clusterId: true, clusterName: true, state: true, fromRevision: true },
  });
  for (const t of targets) {
    if (t.state === "PENDING") {
      await tx.rolloutTarget.update({
        where: { id: t.id, tenantId },
        data: { state: "CANCELLED", reason: `not published: ${outcome.failure}`.slice(0, 1000) },
      });
      continue;
    }
    const exists = await tx.cluster.findFirst({ where: { id: t.clusterId, tenantId }, select: { id: true } });
    if (!exists) {
      await tx.rolloutTarget.update({ where: { id: t.id, tenantId }, data: { state: "GONE", reason: "the cluster was deleted" } });
      continue;
    }
    const from = t.fromRevision
      ? await tx.configRevision.findFirst({ where: { tenantId, clusterId: t.clusterId, revision: t.fromRevision }, select: { bundle: true } })
      : null;
    if (!from) {
      await tx.rolloutTarget.update({
        where: { id: t.id, tenantId },
        data: { state: "ROLLED_BACK", reason: "nothing to go back to: the cluster had no earlier revision" },
      });
      continue;
    }
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`isthmus:deliver:${t.clusterId}`}, 0))`;
    const rev = await insertRevision(tx, tenantId, t.clusterId, from.bundle as unknown as Bundle);
    published.set(t.clusterId, rev.revision);
    await tx.rolloutTarget.update({
      where: { id: t.id },
      data: {
        state: "ROLLED_BACK",
        rollbackRevision: rev.revision,
        reason: `rolled back to the content of revision ${t.fromRevision} (as revision ${rev.revision})`,
      },
    });
  }
  await tx.rollout.updateMany({
    where: { id: rolloutId, tenantId },
    data: {
      status: outcome.status,
      failure: outcome.failure.slice(0, 2000),
      evidence: (outcome.evidence ?? undefined) as object | undefined,
      finishedAt: new Date(),
      soakUntil: null,
    },
  });
  if (published.size > 0) {
    await writeEvents(
      tx,
      targets
        .filter((t) => published.has(t.clusterId))
        .map((t) => ({
          tenantId,
          clusterId: t.clusterId,
          type: "rollout.rolled-back",
          severity: "WARNING" as const,
          message: `${t.clusterName} rolled back by rollout ${rolloutId}: ${outcome.failure}`.slice(0, 1000),
          data: { rolloutId, revision: published.get(t.clusterId) },
        })),
    );
  }
  return published;
}
