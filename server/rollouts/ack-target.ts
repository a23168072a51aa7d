// An agent's ack moves its rollout target: APPLIED or FAILED, for the revision the
// rollout published with that exact hash. The step that follows runs in the workers
// (rollouts.advance, keyed by rollout and wave), never in the agent's request.
import type { AckRequest } from "../../protocol/index";
import type { Tx } from "../platform/db/client";
import { db } from "../platform/db/client";
import { logger } from "../platform/logger";
import { producer } from "../platform/queues";

export interface AckedTarget {
  rolloutId: string;
  wave: number;
  state: string;
}

/** Inside the ack's transaction. Also converges an offline target when its agent returns. */
export async function ackTarget(tx: Tx, tenantId: string, clusterId: string, ack: AckRequest): Promise<AckedTarget[]> {
  const message = ack.message?.slice(0, 1000) ?? null;
  return tx.$queryRaw<AckedTarget[]>`
    UPDATE "RolloutTarget" SET "state" = ${ack.status}, "ackedAt" = now(), "updatedAt" = now(),
           "reason" = ${ack.status === "FAILED" ? message : null},
           "evidence" = ${ack.status === "FAILED" ? JSON.stringify({ ack: { revision: ack.revision, status: ack.status, message } }) : null}::jsonb
     WHERE "tenantId" = ${tenantId} AND "clusterId" = ${clusterId} AND "toRevision" = ${ack.revision} AND "hash" = ${ack.hash}
       AND "state" IN ('PUBLISHED', 'OFFLINE_PENDING')
    RETURNING "rolloutId", "wave", "state"`;
}

/** Test seam: replaces the job enqueue (tests step rollouts themselves). */
export const ackHooks: { poke?: (rolloutId: string) => void | Promise<void> } = {};

/**
 * After the ack committed: when it failed a target, or was the last one its wave waited
 * for, ask the workers for the rollout's next step. The job id names the rollout and the
 * step, so a step is asked for once; the reconciler covers a lost request.
 */
export async function pokeRollouts(tenantId: string, acked: readonly AckedTarget[]) {
  for (const a of acked) {
    try {
      let step: string | null = null;
      if (a.state === "FAILED") step = `w${a.wave}-failed`;
      else {
        const left = await db().rolloutTarget.count({ where: { tenantId, rolloutId: a.rolloutId, wave: a.wave, state: "PUBLISHED" } });
        if (left === 0) step = `w${a.wave}-settled`;
      }
      if (!step) continue;
      if (ackHooks.poke) await ackHooks.poke(a.rolloutId);
      else await producer().enqueue("rollouts.advance", { rolloutId: a.rolloutId }, { jobId: `${a.rolloutId}-${step}` });
    } catch (err) {
      logger.warn({ tenantId, rolloutId: a.rolloutId, err: (err as Error).message }, "could not ask for the rollout's next step; the reconciler takes it");
    }
  }
}
