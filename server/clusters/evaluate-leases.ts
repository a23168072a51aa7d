// OCM-style leases: an AVAILABLE cluster with no heartbeat for MISSED_LEASES_UNKNOWN
// leases becomes UNKNOWN, with a WARNING event and a SYSTEM audit row. Postgres names
// the candidates (its lastSeenAt trails Redis by at most a flush interval); the hot
// state in Redis has the last word, so a cluster heartbeating right now is never
// marked. `now` is a parameter so tests move time instead of sleeping.
//
// Grace: when the control plane (the workers, or Redis) was away, no heartbeat could
// arrive, and every cluster looks silent the moment evaluation resumes. `graceSince`
// (when the caller resumed) gives each cluster one of its leases from then to heartbeat
// before it can be marked.
import { MISSED_LEASES_UNKNOWN } from "../../protocol/index";
import { writeAudits } from "../audit/write-audit";
import { systemActor } from "../platform/context";
import { db } from "../platform/db/client";
import { Prisma } from "../platform/db/generated/client";
import { writeEvents } from "../events/events";
import { readLastSeen } from "../hot-state/hot-state";
import { hotStateKey } from "../hot-state/keys";
import { redis } from "../platform/redis";

interface Candidate {
  id: string;
  lease: number;
  lastSeenMs: number | null;
}

export interface EvaluateLeasesOptions {
  /** Candidates examined per run (the next run continues). */
  limit?: number;
  /** Only this tenant's clusters (tests that move time must not touch other tenants). */
  tenantId?: string;
  /** Clusters marked per transaction (default 500). */
  chunkSize?: number;
  /** When evaluation resumed after an outage: nothing is marked before one lease has passed since. */
  graceSince?: Date;
}

/** Clusters marked UNKNOWN per transaction, by default. */
const MARK_CHUNK = 500;

async function markUnknown(ids: string[], nowMs: number): Promise<string[]> {
  return db().$transaction(async (tx) => {
    // Conditional on Postgres too: a flush that landed meanwhile (fresh lastSeenAt) wins.
    const rows = await tx.$queryRaw<Array<{ id: string; tenantId: string; name: string; lastSeenAt: Date | null }>>`
      UPDATE "Cluster" SET "availability" = 'UNKNOWN', "updatedAt" = (now() AT TIME ZONE 'UTC')
       WHERE "id" IN (SELECT "id" FROM "Cluster" WHERE "id" = ANY(${ids}::text[]) ORDER BY "id" FOR UPDATE)
         AND "availability" = 'AVAILABLE'
         AND ("lastSeenAt" IS NULL
              OR "lastSeenAt" < (to_timestamp(${nowMs}::float8 / 1000) AT TIME ZONE 'UTC') - make_interval(secs => ${MISSED_LEASES_UNKNOWN} * "leaseDurationSeconds"))
      RETURNING "id", "tenantId", "name", "lastSeenAt"`;
    await writeEvents(
      tx,
      rows.map((r) => ({
        tenantId: r.tenantId,
        clusterId: r.id,
        type: "cluster.unknown",
        severity: "WARNING" as const,
        message: `${r.name} is UNKNOWN: no heartbeat for ${MISSED_LEASES_UNKNOWN} leases`,
        data: { from: "AVAILABLE", to: "UNKNOWN", lastSeenAt: r.lastSeenAt },
      })),
    );
    await writeAudits(
      tx,
      rows.map((r) => ({
        tenantId: r.tenantId,
        actor: systemActor("lease"),
        action: "cluster.availability",
        targetType: "cluster",
        targetId: r.id,
        before: { availability: "AVAILABLE" },
        after: { availability: "UNKNOWN" },
      })),
    );
    return rows.map((r) => r.id);
  });
}

export async function evaluateLeases(now: Date = new Date(), opts: EvaluateLeasesOptions = {}) {
  const nowMs = now.getTime();
  const tenantFilter = opts.tenantId ? Prisma.sql`AND "tenantId" = ${opts.tenantId}` : Prisma.empty;
  const candidates = await db().$queryRaw<Candidate[]>`
    SELECT "id", "leaseDurationSeconds" AS "lease", (extract(epoch FROM "lastSeenAt") * 1000)::float8 AS "lastSeenMs"
      FROM "Cluster"
     WHERE "availability" = 'AVAILABLE' ${tenantFilter}
       AND ("lastSeenAt" IS NULL
            OR "lastSeenAt" < (to_timestamp(${nowMs}::float8 / 1000) AT TIME ZONE 'UTC') - make_interval(secs => ${MISSED_LEASES_UNKNOWN} * "leaseDurationSeconds"))
     ORDER BY "id"
     LIMIT ${opts.limit ?? 5000}`;
  if (candidates.length === 0) return { checked: 0, unknown: [] as string[], inGrace: 0 };

  const hot = await readLastSeen(candidates.map((c) => c.id));
  const silent = candidates.filter((c) => (hot.get(c.id) ?? c.lastSeenMs ?? 0) < nowMs - MISSED_LEASES_UNKNOWN * c.lease * 1000);
  const graceMs = opts.graceSince?.getTime() ?? -Infinity;
  const stale = silent.filter((c) => nowMs >= graceMs + c.lease * 1000);
  const inGrace = silent.length - stale.length;
  if (stale.length === 0) return { checked: candidates.length, unknown: [] as string[], inGrace };

  // In chunks, each its own transaction: marking a whole fleet that went silent at once
  // (an outage, or a control plane that was down) in one transaction of thousands of
  // updates, events and audit rows outran the transaction time limit under load, and
  // every retry failed the same way, so none was ever marked.
  const marked: string[] = [];
  const chunk = opts.chunkSize ?? MARK_CHUNK;
  for (let i = 0; i < stale.length; i += chunk) {
    const ids = await markUnknown(
      stale.slice(i, i + chunk).map((c) => c.id),
      nowMs,
    );
    marked.push(...ids);
    // The next heartbeat of a cluster marked here must reach Postgres (to make it
    // AVAILABLE again), however recently the cluster was last marked dirty.
    if (ids.length) {
      const pipe = redis().pipeline();
      for (const id of ids) pipe.hdel(hotStateKey(id), "marked");
      await pipe.exec();
    }
  }
  return { checked: candidates.length, unknown: marked, inGrace };
}
