// The delivery outbox's drain (server/rollouts/outbox.ts): publishes what a request
// committed but did not deliver, because it failed or its process died in between.
// Rows are taken with SKIP LOCKED, so replicas share the work; a run takes batches
// until nothing is due, so a backlog does not wait for the next interval.
import { drainOutbox } from "../../server/rollouts/outbox";
import type { JobPayload } from "../../server/platform/queues";

const MAX_BATCHES = 20;

export async function drainOutboxJob(payload: JobPayload<"config.drain-outbox">) {
  const total = { claimed: 0, delivered: 0, failed: 0, dropped: 0 };
  for (let i = 0; i < MAX_BATCHES; i++) {
    const res = await drainOutbox({ tenantId: payload.tenantId });
    for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += res[k];
    if (res.claimed === 0 || res.delivered + res.dropped === 0) break;
  }
  return total;
}
