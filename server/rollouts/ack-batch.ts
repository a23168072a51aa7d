// Acks that raise no event (an APPLIED ack without drift: nearly all of them) arriving
// in one turn of the event loop are written by one statement. A rollout's targets ack
// within moments of each other; a statement each was a round trip and a plan each.
// At most one ack per cluster goes into a batch (two of the same cluster in one
// UPDATE would move its row once, by whichever matched first); a second one waits for
// the next batch. A batch that fails is written again ack by ack, so one bad ack (its
// cluster deleted a moment ago) fails alone.
import { db } from "../platform/db/client";
import { withoutTenantScope } from "../platform/db/tenant-scope";
import { pokeRollouts, type AckedTarget } from "./ack-target";
import { writeAcks, type AckOutcome, type AckToWrite } from "./write-acks";

interface Pending extends AckToWrite {
  resolve: (o: AckOutcome) => void;
  reject: (err: unknown) => void;
}

export const ACK_BATCH = 200;
let queue: Pending[] = [];
let scheduled = false;

/** Record an APPLIED ack without events, with the acks around it. */
export function writeAckBatched(a: AckToWrite): Promise<AckOutcome> {
  return new Promise((resolve, reject) => {
    queue.push({ ...a, resolve, reject });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}

function flush() {
  scheduled = false;
  const batch: Pending[] = [];
  const later: Pending[] = [];
  const seen = new Set<string>();
  for (const p of queue) {
    if (batch.length < ACK_BATCH && !seen.has(p.clusterId)) {
      seen.add(p.clusterId);
      batch.push(p);
    } else later.push(p);
  }
  queue = later;
  if (later.length > 0) {
    scheduled = true;
    setImmediate(flush);
  }
  if (batch.length > 0) void write(batch);
}

async function write(batch: Pending[]) {
  let outcomes: AckOutcome[];
  try {
    // Each pair comes from an authenticated agent: the statement spans tenants, as the
    // agent API's other cluster lookups do, whatever scope the first ack ran in.
    outcomes = await withoutTenantScope(() => writeAcks(db(), batch));
  } catch {
    for (const p of batch) withoutTenantScope(() => writeAcks(db(), [p])).then(([o]) => p.resolve(o!), p.reject);
    return;
  }
  // The batch's rollouts learn of it once per rollout and wave, not once per ack.
  const acked = new Map<string, AckedTarget[]>();
  outcomes.forEach((o, i) => acked.set(batch[i]!.tenantId, [...(acked.get(batch[i]!.tenantId) ?? []), ...(o.acked ?? [])]));
  for (const [tenantId, targets] of acked) if (targets.length > 0) await pokeRollouts(tenantId, targets);
  batch.forEach((p, i) => p.resolve({ ...outcomes[i]!, acked: null }));
}
