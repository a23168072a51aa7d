// Publishing a wave's targets: each target's bundle (computed when the rollout started)
// becomes the cluster's next revision, in the same transaction that marks the target
// PUBLISHED — so a crash can never publish a target twice, nor lose one (it stays
// PENDING and the next step publishes it).
import { randomUUID } from "node:crypto";
import { announceRevisions } from "../config/publish-revision";
import { db } from "../platform/db/client";
import { readHealth } from "./health";
import type { RolloutOptions } from "./schema";

const CHUNK = 500;

class RevisionTaken extends Error {
  constructor() {
    super("a revision number of this chunk was taken by another publisher");
  }
}

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
    await announceRevisions(chunk);
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
            select: { id: true, clusterId: true, hash: true },
            orderBy: { clusterName: "asc" },
            take: room,
          });
          if (targets.length === 0) return out;
          const clusters = await tx.cluster.findMany({
            where: { tenantId, id: { in: targets.map((t) => t.clusterId) } },
            select: { id: true, leaseDurationSeconds: true },
          });
          const leases = new Map(clusters.map((c) => [c.id, c.leaseDurationSeconds]));
          const health = await readHealth(
            targets.map((t) => t.clusterId),
            leases,
          );
          const gone = targets.filter((t) => !leases.has(t.clusterId));
          if (gone.length > 0) {
            await tx.rolloutTarget.updateMany({
              where: { id: { in: gone.map((t) => t.id) }, tenantId },
              data: { state: "GONE", reason: "the cluster was deleted" },
            });
          }
          const live = targets.filter((t) => leases.has(t.clusterId));
          if (live.length === 0) return out;
          for (const t of live) publishHooks.beforePublish?.(t.clusterId);
          const ids = live.map((t) => t.clusterId);
          // Each cluster's deliveries are serialised (as in deliverCluster); taken in one
          // order everywhere so two publishers of overlapping chunks cannot deadlock.
          await tx.$queryRaw`
            SELECT count(pg_advisory_xact_lock(h))::int AS n FROM (SELECT hashtextextended('isthmus:deliver:' || c, 0) AS h FROM unnest(${ids}::text[]) AS c ORDER BY 1) AS k`;
          const latest = new Map(
            (
              await tx.$queryRaw<Array<{ clusterId: string; revision: number | null; hash: string | null }>>`
                SELECT c AS "clusterId", r."revision", r."hash" FROM unnest(${ids}::text[]) AS c
                  LEFT JOIN LATERAL (SELECT "revision", "hash" FROM "ConfigRevision" WHERE "clusterId" = c AND "tenantId" = ${tenantId} ORDER BY "revision" DESC LIMIT 1) r ON true`
            ).map((l) => [l.clusterId, l]),
          );
          // A bundle equal to the cluster's latest revision publishes nothing new (as insertRevision).
          const revisions = live.map((t) => {
            const l = latest.get(t.clusterId);
            const created = l?.hash !== t.hash;
            return { t, created, revision: created ? (l?.revision ?? 0) + 1 : l!.revision! };
          });
          const fresh = revisions.filter((x) => x.created);
          if (fresh.length > 0) {
            // The bundles go from the targets to the revisions inside PostgreSQL: thousands
            // of them never travel to this process and back.
            const rows = JSON.stringify(fresh.map(({ t, revision }) => ({ id: t.id, rid: randomUUID(), revision })));
            const inserted = await tx.$executeRaw`
              INSERT INTO "ConfigRevision" ("id", "tenantId", "clusterId", "revision", "hash", "bundle")
              SELECT v."rid", t."tenantId", t."clusterId", v."revision", t."hash", t."bundle"
                FROM jsonb_to_recordset(${rows}::jsonb) AS v("id" text, "rid" text, "revision" int)
                JOIN "RolloutTarget" t ON t."id" = v."id" AND t."tenantId" = ${tenantId} AND t."rolloutId" = ${rolloutId}
              ON CONFLICT ("clusterId", "revision") DO NOTHING`;
            // Another publisher (enrolment) took a revision number first: start the chunk over.
            if (inserted !== fresh.length) throw new RevisionTaken();
            const raise = JSON.stringify(fresh.map(({ t, revision }) => ({ id: t.clusterId, revision })));
            await tx.$executeRaw`
              UPDATE "Cluster" c SET "desiredRevision" = v."revision", "updatedAt" = now()
                FROM jsonb_to_recordset(${raise}::jsonb) AS v("id" text, "revision" int)
               WHERE c."id" = v."id" AND c."tenantId" = ${tenantId} AND c."desiredRevision" < v."revision"`;
          }
          // An offline cluster gets its revision now and picks it up when it returns;
          // the rollout does not wait for it.
          const marks = JSON.stringify(
            revisions.map(({ t, revision }) => {
              const h = health.get(t.clusterId)!;
              return {
                id: t.id,
                state: h.online ? "PUBLISHED" : "OFFLINE_PENDING",
                reason: h.online ? null : "offline: the revision waits for the agent's return",
                revision,
                health: h,
              };
            }),
          );
          await tx.$executeRaw`
            UPDATE "RolloutTarget" t SET "state" = v."state", "reason" = v."reason", "toRevision" = v."revision", "publishedAt" = now(), "healthBefore" = v."health", "updatedAt" = now()
              FROM jsonb_to_recordset(${marks}::jsonb) AS v("id" text, "state" text, "reason" text, "revision" int, "health" jsonb)
             WHERE t."id" = v."id" AND t."tenantId" = ${tenantId} AND t."rolloutId" = ${rolloutId}`;
          // An older rollout's offline target of these clusters is replaced by this one.
          await tx.rolloutTarget.updateMany({
            where: { tenantId, clusterId: { in: ids }, state: "OFFLINE_PENDING", rolloutId: { not: rolloutId } },
            data: { state: "SUPERSEDED", reason: `superseded by rollout ${rolloutId}` },
          });
          for (const { t, revision } of revisions) out.set(t.clusterId, revision);
          return out;
        },
        { maxWait: 15_000, timeout: 60_000 },
      );
    } catch (err) {
      // A publisher outside rollouts (enrolment) took the revision number first.
      if (!(err instanceof RevisionTaken) || attempt >= 5) throw err;
    }
  }
}
