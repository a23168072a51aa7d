// Publishing a wave's targets: each target's bundle (computed when the rollout started)
// becomes the cluster's next revision, in the same transaction that marks the target
// PUBLISHED — so a crash can never publish a target twice, nor lose one (it stays
// PENDING and the next step publishes it).
import type { Bundle } from "../../protocol/index";
import { announceRevision, insertRevision } from "../config/publish-revision";
import { db } from "../db/client";
import { isUniqueViolation } from "../errors";
import { readHealth } from "./health";
import type { RolloutOptions } from "./schema";

const CHUNK = 200;

/** Test seam: called before each target is published (a throw fails that publish). */
export const publishHooks: { beforePublish?: (clusterId: string) => void } = {};

/**
 * Publish the PENDING targets of the rollout's current wave (only those of `only` when
 * given), keeping at most maxConcurrent of the wave published and unacknowledged.
 * Returns cluster id → revision for what it published.
 */
export async function publishTargets(tenantId: string, rolloutId: string, only?: readonly string[]): Promise<Map<string, number>> {
  const published = new Map<string, number>();
  for (;;) {
    const chunk = await publishChunk(tenantId, rolloutId, only);
    for (const [k, v] of chunk) published.set(k, v);
    // Wake every long-poll of the chunk at once: one by one, the last agent of a wave of
    // hundreds would wait for all the round trips before it.
    await Promise.all([...chunk].map(([clusterId, revision]) => announceRevision(clusterId, revision)));
    if (chunk.size < CHUNK) return published;
  }
}

async function publishChunk(tenantId: string, rolloutId: string, only?: readonly string[]) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db().$transaction(
        async (tx) => {
          const out = new Map<string, number>();
          const [r] = await tx.$queryRaw<Array<{ status: string; currentWave: number; options: RolloutOptions }>>`
            SELECT "status", "currentWave", "options" FROM "Rollout" WHERE "id" = ${rolloutId} AND "tenantId" = ${tenantId} FOR UPDATE`;
          if (!r || r.status !== "RUNNING") return out;
          let room = CHUNK;
          if (r.options.maxConcurrent) {
            const inFlight = await tx.rolloutTarget.count({ where: { rolloutId, tenantId, wave: r.currentWave, state: "PUBLISHED" } });
            room = Math.min(room, r.options.maxConcurrent - inFlight);
          }
          if (room <= 0) return out;
          const targets = await tx.rolloutTarget.findMany({
            where: { rolloutId, tenantId, wave: r.currentWave, state: "PENDING", ...(only ? { clusterId: { in: [...only] } } : {}) },
            select: { id: true, clusterId: true, bundle: true },
            orderBy: { clusterName: "asc" },
            take: room,
          });
          if (targets.length === 0) return out;
          const clusters = await tx.cluster.findMany({ where: { tenantId, id: { in: targets.map((t) => t.clusterId) } }, select: { id: true, leaseDurationSeconds: true } });
          const leases = new Map(clusters.map((c) => [c.id, c.leaseDurationSeconds]));
          const health = await readHealth(
            targets.map((t) => t.clusterId),
            leases,
          );
          for (const t of targets) {
            if (!leases.has(t.clusterId)) {
              await tx.rolloutTarget.update({ where: { id: t.id, tenantId }, data: { state: "GONE", reason: "the cluster was deleted" } });
              continue;
            }
            publishHooks.beforePublish?.(t.clusterId);
            await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`isthmus:deliver:${t.clusterId}`}, 0))`;
            const rev = await insertRevision(tx, tenantId, t.clusterId, t.bundle as unknown as Bundle);
            const h = health.get(t.clusterId)!;
            // An offline cluster gets its revision now and picks it up when it returns;
            // the rollout does not wait for it.
            await tx.rolloutTarget.update({
              where: { id: t.id },
              data: {
                state: h.online ? "PUBLISHED" : "OFFLINE_PENDING",
                reason: h.online ? null : "offline: the revision waits for the agent's return",
                toRevision: rev.revision,
                publishedAt: new Date(),
                healthBefore: h as object,
              },
            });
            // An older rollout's offline target of this cluster is replaced by this one.
            await tx.rolloutTarget.updateMany({
              where: { tenantId, clusterId: t.clusterId, state: "OFFLINE_PENDING", rolloutId: { not: rolloutId } },
              data: { state: "SUPERSEDED", reason: `superseded by rollout ${rolloutId}` },
            });
            out.set(t.clusterId, rev.revision);
          }
          return out;
        },
        { maxWait: 15_000, timeout: 60_000 },
      );
    } catch (err) {
      // A publisher outside rollouts (enrolment) took the revision number first.
      if (!isUniqueViolation(err) || attempt >= 5) throw err;
    }
  }
}
