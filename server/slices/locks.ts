// One lock order for every writer that changes slices or the clusters they name:
// first the slice rows (by id), then the cluster rows (by id). Saving a slice, deleting
// or renaming a cluster, changing a QoS profile and importing all take their locks in
// this order, so two of them serialise instead of interleaving (a save racing a member's
// deletion used to commit a plan that still held the deleted cluster) and never
// deadlock each other.
import type { Tx } from "../platform/db/client";
import { db } from "../platform/db/client";
import { Prisma } from "../platform/db/generated/client";
import { AppError } from "../platform/errors";
import { logger } from "../platform/logger";

/** Lock these slices of the tenant (FOR UPDATE, by id). Returns the ids that exist. */
export async function lockSlices(tx: Tx, tenantId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "Slice" WHERE "tenantId" = ${tenantId} AND "id" = ANY(${[...ids]}::text[]) ORDER BY "id" FOR UPDATE`;
  return rows.map((r) => r.id);
}

/** Lock the slices one cluster is a member of; returns their ids. */
export async function lockSlicesOfCluster(tx: Tx, tenantId: string, clusterId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT s."id" FROM "Slice" s
     WHERE s."tenantId" = ${tenantId}
       AND EXISTS (SELECT 1 FROM "SliceMember" m WHERE m."tenantId" = ${tenantId} AND m."sliceId" = s."id" AND m."clusterId" = ${clusterId})
     ORDER BY s."id" FOR UPDATE OF s`;
  return rows.map((r) => r.id);
}

/** The slices a cluster is a member of now (no lock). */
export async function slicesOfCluster(tx: Tx, tenantId: string, clusterId: string): Promise<string[]> {
  const rows = await tx.sliceMember.findMany({ where: { tenantId, clusterId }, select: { sliceId: true }, orderBy: { sliceId: "asc" } });
  return rows.map((r) => r.sliceId);
}

/**
 * Lock the clusters a slice save involves, by name (the new members) and id (the
 * previous ones). KEY SHARE is enough: it keeps them from being deleted or renamed
 * until the save commits, without holding up the heartbeat flush, which only updates
 * non-key columns. A cluster deleted or renamed meanwhile simply is not returned, and
 * the plan then names it as unknown.
 */
export async function lockMemberClusters(tx: Tx, tenantId: string, names: readonly string[], ids: readonly string[]) {
  if (names.length === 0 && ids.length === 0) return;
  await tx.$queryRaw`
    SELECT "id" FROM "Cluster"
     WHERE "tenantId" = ${tenantId} AND ("name" = ANY(${[...names]}::text[]) OR "id" = ANY(${[...ids]}::text[]))
     ORDER BY "id" FOR KEY SHARE`;
}

/** Lock one cluster for a change of its name or its deletion (after its slices). Null when gone. */
export async function lockCluster(tx: Tx, tenantId: string, clusterId: string) {
  const rows = await tx.$queryRaw<Array<{ id: string; name: string; version: number }>>`
    SELECT "id", "name", "version" FROM "Cluster" WHERE "tenantId" = ${tenantId} AND "id" = ${clusterId} FOR UPDATE`;
  return rows[0] ?? null;
}

/**
 * Lock a cluster together with every slice it belongs to, in the lock order. The set of
 * slices is read before the locks; a save that added the cluster to another slice in
 * between committed before we got the cluster's lock, so the set is read again under it
 * and the whole transaction retries if it grew (locking that slice now would break the
 * order).
 */
export async function lockClusterWithSlices(tx: Tx, tenantId: string, clusterId: string) {
  const sliceIds = await lockSlicesOfCluster(tx, tenantId, clusterId);
  const cluster = await lockCluster(tx, tenantId, clusterId);
  if (cluster) {
    const now = await slicesOfCluster(tx, tenantId, clusterId);
    if (now.some((id) => !sliceIds.includes(id))) throw new RetryTransaction("the cluster joined another slice meanwhile");
  }
  return { cluster, sliceIds };
}

/** Thrown inside a transaction to roll it back and run it again. */
export class RetryTransaction extends Error {}

function isRetryable(err: unknown): boolean {
  if (err instanceof RetryTransaction) return true;
  // Deadlock, serialisation failure, or Prisma's "write conflict or deadlock".
  const codes = new Set(["40P01", "40001", "P2034"]);
  const seen = new Set<unknown>();
  for (let e: unknown = err; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const o = e as { code?: unknown; originalCode?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
    if (codes.has(String(o.code)) || codes.has(String(o.originalCode)) || codes.has(String(o.meta?.driverAdapterError?.cause?.originalCode))) return true;
  }
  return false;
}

// Lock waits are part of a writer's transaction time: allow for a queue of them.
const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000, isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted } as const;

/**
 * Run `fn` in one transaction, again (a few times) when it was rolled back by a
 * deadlock, a serialisation failure or a RetryTransaction. Nothing of a rolled-back
 * attempt is kept, so running it again is safe.
 */
export async function writeTransaction<T>(what: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db().$transaction(fn, TX_OPTIONS);
    } catch (err) {
      if (!isRetryable(err)) throw err;
      // Nothing was committed: a clear, retryable answer rather than a 500.
      if (attempt >= 5)
        throw new AppError("CONFLICT", "Other changes to the same slices or clusters kept colliding with this one; nothing was saved: try again", undefined, {
          cause: err,
        });
      logger.debug({ what, attempt, err: (err as Error).message }, "transaction retried");
    }
  }
}
