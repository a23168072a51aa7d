// An agent's ack moves its rollout target (server/config/record-ack.ts): APPLIED or
// FAILED, for the revision the rollout published with that exact hash. The step that
// follows runs in the workers (rollouts.advance, keyed by rollout and wave), never in
// the agent's request.
import { db } from "../platform/db/client";
import { logger } from "../platform/logger";
import { producer } from "../platform/queues";

export interface AckedTarget {
  rolloutId: string;
  wave: number;
  state: string;
  /** The wave's other targets still PUBLISHED when the ack's statement ran, up to WAITING_BOUND. */
  othersWaiting: number;
}

/**
 * An ack that saw this many other targets of its wave waiting cannot be the wave's last:
 * that would take as many acks committing while its own statement ran. Below it, the
 * ack looks again after its commit. (Were it ever wrong, the reconciler's next pass
 * still steps the rollout.)
 */
export const WAITING_BOUND = 64;

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
      else if (a.othersWaiting >= WAITING_BOUND) continue;
      else {
        // Whether any target of the wave still waits, now that the ack committed.
        const waiting = await db().rolloutTarget.findFirst({
          where: { tenantId, rolloutId: a.rolloutId, wave: a.wave, state: "PUBLISHED" },
          select: { id: true },
        });
        if (!waiting) step = `w${a.wave}-settled`;
      }
      if (!step) continue;
      if (ackHooks.poke) await ackHooks.poke(a.rolloutId);
      else await producer().enqueue("rollouts.advance", { rolloutId: a.rolloutId }, { jobId: `${a.rolloutId}-${step}` });
    } catch (err) {
      logger.warn({ tenantId, rolloutId: a.rolloutId, err: (err as Error).message }, "could not ask for the rollout's next step; the reconciler takes it");
    }
  }
}
