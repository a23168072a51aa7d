// The periodic pass that keeps rollouts moving whatever happened to Redis or the
// workers: every unfinished rollout is stepped from its state in Postgres. A step that
// has nothing to do costs one locked read; one another replica is stepping is skipped.
import { CLAIM_MS } from "./outbox";
import { db } from "../platform/db/client";
import { withTenantScope } from "../platform/db/tenant-scope";
import { logger } from "../platform/logger";
import { advanceRollout } from "./advance-rollout";

const LIMIT = 200;

export async function reconcileRollouts(opts: { tenantId?: string } = {}) {
  // A PENDING rollout is its writer's to start for CLAIM_MS (the fast path), as its outbox rows are.
  const pendingBefore = new Date(Date.now() - CLAIM_MS);
  const due = await db().rollout.findMany({
    where: {
      ...(opts.tenantId ? { tenantId: opts.tenantId } : {}),
      OR: [{ status: { in: ["RUNNING", "QUEUED"] } }, { status: "PENDING", createdAt: { lt: pendingBefore } }],
    },
    select: { id: true, tenantId: true },
    orderBy: { seq: "asc" },
    take: LIMIT,
  });
  let stepped = 0;
  for (const r of due) {
    try {
      await withTenantScope(r.tenantId, () => advanceRollout(r.tenantId, r.id, { wait: false }));
      stepped++;
    } catch (err) {
      logger.warn({ tenantId: r.tenantId, rolloutId: r.id, err: (err as Error).message }, "rollout step failed; the next pass retries it");
    }
  }
  return { due: due.length, stepped };
}

/** One rollout's step, as the rollouts.advance job runs it (any tenant: looked up first). */
export async function advanceRolloutById(rolloutId: string) {
  const r = await db().rollout.findFirst({ where: { id: rolloutId }, select: { tenantId: true } });
  if (!r) return null;
  return withTenantScope(r.tenantId, () => advanceRollout(r.tenantId, rolloutId, { wait: false }));
}
