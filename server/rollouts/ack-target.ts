// An agent's ack moves its rollout target (server/rollouts/record-ack.ts): APPLIED or
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
}

/** Test seam: replaces the job enqueue (tests step rollouts themselves). */
export const ackHooks: { poke?: (rolloutId: string) => void | Promise<void> } = {};

/**
 * After the ack committed: when it failed a target, or was the last one its wave waited
 * for, ask the workers for the rollout's next step. The job id names the rollout and the
 * step, so a step is asked for once; the reconciler covers a lost request.
 */
export async function pokeRollouts(tenantId: string, acked: readonly AckedTarget[]) {
  // Once per rollout and wave however many of its targets were acked together. The look
  // runs after the acks committed: of acks committing at once, the last one's look sees
  // every other one, so a wave's end is never missed.
  const steps = new Map<string, AckedTarget>();
  for (const a of acked) {
    const key = `${a.rolloutId}/${a.wave}/${a.state === "FAILED" ? "failed" : "applied"}`;
    if (!steps.has(key)) steps.set(key, a);
  }
  for (const a of steps.values()) {
    try {
      let step: string | null = null;
      if (a.state === "FAILED") step = `w${a.wave}-failed`;
      else {
        // Whether any target of the wave still waits: the first one found answers it.
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
