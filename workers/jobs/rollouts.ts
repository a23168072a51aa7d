// Rollout jobs (server/rollouts/): BullMQ only drives them; the state is in Postgres.
import type { JobPayload } from "../../server/platform/queues";
import { advanceRolloutById, reconcileRollouts } from "../../server/rollouts/reconcile-rollouts";

export const advanceRolloutJob = (p: JobPayload<"rollouts.advance">) => advanceRolloutById(p.rolloutId);
export const reconcileRolloutsJob = () => reconcileRollouts();
