// The delivery outbox. A transaction that changes what clusters must run (a slice, a QoS
// profile, a cluster's name, a deletion, an import) records one DeliveryOutbox row per
// affected cluster before it commits. After the commit the request delivers at once
// (the fast path: a connected agent sees the change within a second) and deletes the
// rows it delivered; whatever it could not deliver — it failed, or the process died
// between commit and publish — a worker drains (config.drain-outbox), with backoff.
// Delivery recompiles from committed state and an unchanged bundle publishes nothing,
// so delivering a row twice is harmless.
//
// Every change is delivered as a rollout (server/rollouts/): the same transaction
// records the Rollout and its targets, and each outbox row names its rollout. Delivering
// a row then means getting that rollout started (its bundles computed once, its waves
// planned) and publishing the cluster when its wave allows; from there the rollout's
// own state in Postgres carries the delivery, and the row is done.
import type { Tx } from "../platform/db/client";
import { db } from "../platform/db/client";
import { withTenantScope } from "../platform/db/tenant-scope";
import { logger } from "../platform/logger";
import { advanceRollout } from "./advance-rollout";
import { publishTargets } from "./publish-targets";
import { recordRollout, type RecordRolloutOptions } from "./record-rollout";
import { startRollout } from "./start-rollout";
import { deliverCluster } from "../config/deliver";

/**
 * A row is born claimed by the request that wrote it for this long: the drain leaves it
 * to the fast path unless that process died or failed. Also how long a drain's claim
 * lasts before another worker may take the row over.
 */
export const CLAIM_MS = 10_000;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 5 * 60_000;
const LAST_ERROR_MAX = 500;

export interface OutboxRow {
  id: bigint;
  tenantId: string;
  clusterId: string;
  /** The rollout delivering it (null on rows written before rollouts existed). */
  rolloutId: string | null;
}

/** Test seams: after the commit, before the fast path publishes; before each cluster's delivery. */
export const outboxHooks: { beforeFastPath?: (rows: OutboxRow[]) => void | Promise<void>; beforeDeliver?: (clusterId: string) => void } = {};

/**
 * Inside the writer's transaction: what must be delivered once it commits — a rollout
 * (strategy from `opts.rollout` over the tenant's default) and one outbox row per
 * cluster naming it. `rolloutIdOf(rows)` gives the rollout to answer with.
 */
export async function recordDeliveries(
  tx: Tx,
  tenantId: string,
  clusterIds: readonly string[],
  reason: string,
  opts: RecordRolloutOptions = {},
): Promise<OutboxRow[]> {
  const unique = [...new Set(clusterIds)].sort();
  if (unique.length === 0) return [];
  const rolloutId = await recordRollout(tx, tenantId, unique, reason, opts);
  const claimedUntil = new Date(Date.now() + CLAIM_MS);
  return tx.deliveryOutbox.createManyAndReturn({
    data: unique.map((clusterId) => ({ tenantId, clusterId, rolloutId, reason: reason.slice(0, 200), nextAttemptAt: claimedUntil })),
    select: { id: true, tenantId: true, clusterId: true, rolloutId: true },
  });
}

/** The rollout these rows deliver (a writer's rows all share one), if any. */
export const rolloutIdOf = (rows: readonly OutboxRow[]): string | null => rows.find((r) => r.rolloutId)?.rolloutId ?? null;

/** The wait before attempt n+1 after n failed ones: 2 s, 4 s, 8 s, … up to 5 min. */
export const backoffMs = (attempts: number) => Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);

// Bundles are independent per cluster; a few at once keeps the pool busy without
// starving other requests of connections (the pool holds 10).
const CONCURRENCY = 4;

/**
 * Deliver the clusters of these rows, then delete the rows delivered. A failure is
 * recorded on its rows (attempts, lastError, nextAttemptAt with backoff) and never
 * thrown: the change is committed, and the drain retries it.
 */
async function deliverRows(rows: OutboxRow[], attempts: Map<bigint, number> = new Map()) {
  // Work items: a rollout's rows together (its start computes every target's bundle at
  // once), and a cluster's rows without a rollout (written before rollouts existed).
  const groups = new Map<string, OutboxRow[]>();
  for (const r of rows) {
    const key = r.rolloutId ? `rollout:${r.rolloutId}` : `cluster:${r.clusterId}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const queue = [...groups.keys()].sort();
  const revisions: Record<string, number> = {};
  let failed = 0;
  let dropped = 0;
  const fail = async (mine: OutboxRow[], err: unknown) => {
    failed += new Set(mine.map((r) => r.clusterId)).size;
    const message = (err as Error).message?.slice(0, LAST_ERROR_MAX) ?? String(err);
    logger.warn({ tenantId: mine[0]!.tenantId, clusters: mine.map((r) => r.clusterId).slice(0, 20), err: message }, "delivery failed; the outbox retries it");
    for (const r of mine) {
      const n = attempts.get(r.id) ?? 1;
      await db()
        .deliveryOutbox.updateMany({
          where: { id: r.id, tenantId: r.tenantId },
          data: { attempts: n, lastError: message, nextAttemptAt: new Date(Date.now() + backoffMs(n)) },
        })
        .catch((e: Error) => logger.error({ clusterId: r.clusterId, err: e.message }, "could not record a failed delivery"));
    }
  };
  // One array parameter, not one parameter per row: a fleet-wide change has thousands.
  const done = (mine: OutboxRow[]) =>
    db().$executeRaw`DELETE FROM "DeliveryOutbox" WHERE "tenantId" = ${mine[0]!.tenantId} AND "id" = ANY(${mine.map((r) => r.id)}::bigint[])`;
  const work = async () => {
    for (let key = queue.shift(); key; key = queue.shift()) {
      const mine = groups.get(key)!;
      const tenantId = mine[0]!.tenantId;
      if (mine[0]!.rolloutId) {
        const rolloutId = mine[0]!.rolloutId;
        // A cluster whose delivery fails keeps its rows for the retry; the others go on.
        const ok: OutboxRow[] = [];
        for (const r of mine) {
          try {
            outboxHooks.beforeDeliver?.(r.clusterId);
            ok.push(r);
          } catch (err) {
            await fail([r], err);
          }
        }
        if (ok.length === 0) continue;
        try {
          // The drain spans tenants; each delivery still runs under its own tenant's row-level security.
          const targets = await withTenantScope(tenantId, async () => {
            await startRollout(tenantId, rolloutId);
            const clusterIds = ok.map((r) => r.clusterId);
            // Rows for every target of the rollout (the usual case): no list of thousands
            // of clusters to filter each publish chunk by.
            const targetCount = await db().rolloutTarget.count({ where: { rolloutId, tenantId } });
            await publishTargets(tenantId, rolloutId, targetCount === clusterIds.length ? undefined : clusterIds);
            // The rollout's targets, kept to these clusters here (thousands of ids as
            // parameters cost more than the rows the rollout has beyond them).
            const mineIds = new Set(clusterIds);
            const all = await db().rolloutTarget.findMany({ where: { rolloutId, tenantId }, select: { clusterId: true, state: true, toRevision: true } });
            return all.filter((t) => mineIds.has(t.clusterId));
          });
          for (const t of targets) {
            if (t.state === "GONE") dropped++;
            else if (t.toRevision !== null && t.state !== "PENDING") revisions[t.clusterId] = t.toRevision;
          }
          // A cluster deleted before the change committed got no target: its row is dropped.
          dropped += ok.length - targets.length;
          // Started: the rollout's own state now carries the delivery (a later wave, a queue).
          await done(ok);
        } catch (err) {
          await fail(ok, err);
        }
        continue;
      }
      try {
        outboxHooks.beforeDeliver?.(mine[0]!.clusterId);
        const published = await withTenantScope(tenantId, () => deliverCluster(tenantId, mine[0]!.clusterId));
        if (published) revisions[mine[0]!.clusterId] = published.revision;
        else dropped++;
        // Delivered (or the cluster is gone): every row of the cluster older than this
        // compile is satisfied too, but only ours are known to be; the rest go their way.
        await done(mine);
      } catch (err) {
        await fail(mine, err);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, work));
  // Carry each rollout on as far as it goes now (finish it when nothing waits for an ack).
  for (const rolloutId of new Set(rows.flatMap((r) => (r.rolloutId ? [r.rolloutId] : [])))) {
    const tenantId = rows.find((r) => r.rolloutId === rolloutId)!.tenantId;
    await withTenantScope(tenantId, () => advanceRollout(tenantId, rolloutId)).catch((err: Error) =>
      logger.warn({ tenantId, rolloutId, err: err.message }, "rollout step failed; the reconciler retries it"),
    );
  }
  const sorted = Object.fromEntries(Object.entries(revisions).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { revisions: sorted, failed, dropped };
}

/**
 * The fast path, after the writer's commit: deliver its rows now. Returns cluster id →
 * revision for the clusters delivered; the others stay in the outbox for the drain.
 */
export async function deliverNow(rows: OutboxRow[]): Promise<Record<string, number>> {
  if (rows.length === 0) return {};
  try {
    await outboxHooks.beforeFastPath?.(rows);
    return (await deliverRows(rows)).revisions;
  } catch (err) {
    // Committed work never fails its request: the rows are still there for the drain.
    logger.error({ err: (err as Error).message }, "fast-path delivery failed; the outbox retries it");
    return {};
  }
}

/**
 * Deliver the rows that are due (their claim expired or their backoff ran out), taking
 * each with FOR UPDATE SKIP LOCKED and extending its claim, so several workers share
 * the work and none delivers a row another holds. Rows of a deleted cluster are dropped.
 */
export async function drainOutbox(opts: { tenantId?: string; limit?: number; now?: Date } = {}) {
  const nowMs = (opts.now ?? new Date()).getTime();
  const limit = opts.limit ?? 200;
  const claimed = await db().$transaction(async (tx) => {
    const rows = opts.tenantId
      ? await tx.$queryRaw<Array<OutboxRow & { attempts: number }>>`
          SELECT "id", "tenantId", "clusterId", "rolloutId", "attempts" FROM "DeliveryOutbox"
           WHERE "tenantId" = ${opts.tenantId} AND "nextAttemptAt" <= (to_timestamp(${nowMs}::float8 / 1000) AT TIME ZONE 'UTC')
           ORDER BY "nextAttemptAt", "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED`
      : await tx.$queryRaw<Array<OutboxRow & { attempts: number }>>`
          SELECT "id", "tenantId", "clusterId", "rolloutId", "attempts" FROM "DeliveryOutbox"
           WHERE "nextAttemptAt" <= (to_timestamp(${nowMs}::float8 / 1000) AT TIME ZONE 'UTC')
           ORDER BY "nextAttemptAt", "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    if (rows.length > 0) {
      await tx.deliveryOutbox.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { nextAttemptAt: new Date(Date.now() + CLAIM_MS) } });
    }
    return rows;
  });
  if (claimed.length === 0) return { claimed: 0, delivered: 0, failed: 0, dropped: 0 };
  const attempts = new Map(claimed.map((r) => [r.id, r.attempts + 1]));
  const res = await deliverRows(claimed, attempts);
  return { claimed: claimed.length, delivered: Object.keys(res.revisions).length, failed: res.failed, dropped: res.dropped };
}
