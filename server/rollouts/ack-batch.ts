// Acks that raise no event (an APPLIED ack without drift: nearly all of them) arriving
// in one turn of the event loop are written by one statement. A rollout's targets ack
// within moments of each other; a statement each was a round trip and a plan each.
// At most one ack per cluster goes into a batch (two of the same cluster in one
// UPDATE would move its row once, by whichever matched first); a second one waits for
// the next batch. A batch that fails is written again ack by ack, so one bad ack (its
// cluster deleted a moment ago) fails alone.
import { randomUUID } from "node:crypto";
import type { AckRequest } from "../../protocol/index";
import { db } from "../platform/db/client";
import { withoutTenantScope } from "../platform/db/tenant-scope";
import { pokeRollouts, type AckedTarget } from "./ack-target";
import type { AckOutcome } from "./record-ack";

interface Pending {
  tenantId: string;
  clusterId: string;
  ack: AckRequest;
  /** The ack written alone (when its batch failed). */
  single: () => Promise<AckOutcome>;
  resolve: (o: AckOutcome) => void;
  reject: (err: unknown) => void;
}

export const ACK_BATCH = 200;
let queue: Pending[] = [];
let scheduled = false;

/** Record an APPLIED ack without events, with the acks around it. */
export function writeAckBatched(tenantId: string, clusterId: string, ack: AckRequest, single: () => Promise<AckOutcome>): Promise<AckOutcome> {
  return new Promise((resolve, reject) => {
    queue.push({ tenantId, clusterId, ack, single, resolve, reject });
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
    outcomes = await writeMany(batch);
  } catch {
    for (const p of batch) p.single().then(p.resolve, p.reject);
    return;
  }
  // The batch's rollouts learn of it once per rollout and wave, not once per ack.
  const acked = new Map<string, AckedTarget[]>();
  outcomes.forEach((o, i) => acked.set(batch[i]!.tenantId, [...(acked.get(batch[i]!.tenantId) ?? []), ...(o.acked ?? [])]));
  for (const [tenantId, targets] of acked) if (targets.length > 0) await pokeRollouts(tenantId, targets);
  batch.forEach((p, i) => p.resolve({ ...outcomes[i]!, acked: null }));
}

async function writeMany(batch: Pending[]): Promise<AckOutcome[]> {
  const rows = JSON.stringify(
    batch.map((p, k) => ({
      k,
      id: randomUUID(),
      tenantId: p.tenantId,
      clusterId: p.clusterId,
      revision: p.ack.revision,
      hash: p.ack.hash,
      message: p.ack.message ?? null,
      objects: p.ack.objects ?? null,
    })),
  );
  // As the single ack's statement (record-ack.ts), for many: every CTE sees the snapshot
  // from before the statement. Each pair comes from an authenticated agent.
  const out = await withoutTenantScope(
    () => db().$queryRaw<Array<{ k: number; published: string | null; acked: AckOutcome["acked"]; applied: number | null }>>`
    WITH v AS (
      SELECT * FROM jsonb_to_recordset(${rows}::jsonb)
        AS v("k" int, "id" text, "tenantId" text, "clusterId" text, "revision" int, "hash" text, "message" text, "objects" jsonb)
    ), pub AS (
      SELECT v."k", r."hash" FROM v JOIN "ConfigRevision" r ON r."tenantId" = v."tenantId" AND r."clusterId" = v."clusterId" AND r."revision" = v."revision"
    ), kept AS (
      INSERT INTO "ConfigAck" ("id", "tenantId", "clusterId", "revision", "hash", "status", "message", "objects")
      SELECT "id", "tenantId", "clusterId", "revision", "hash", 'APPLIED'::"AckStatus", "message", "objects" FROM v
      RETURNING 1
    ), target AS (
      UPDATE "RolloutTarget" t SET "state" = 'APPLIED', "ackedAt" = now(), "updatedAt" = now(), "reason" = NULL, "evidence" = NULL
        FROM v JOIN pub ON pub."k" = v."k" AND pub."hash" = v."hash"
       WHERE t."tenantId" = v."tenantId" AND t."clusterId" = v."clusterId" AND t."toRevision" = v."revision" AND t."hash" = v."hash"
         AND t."state" IN ('PUBLISHED', 'OFFLINE_PENDING')
      RETURNING v."k", t."rolloutId", t."wave", t."state"
    ), moved AS (
      UPDATE "Cluster" c SET "appliedRevision" = v."revision"
        FROM v JOIN pub ON pub."k" = v."k" AND pub."hash" = v."hash"
       WHERE c."id" = v."clusterId" AND c."tenantId" = v."tenantId" AND c."appliedRevision" < v."revision"
      RETURNING v."k", c."appliedRevision"
    )
    SELECT v."k", pub."hash" AS "published",
           (SELECT json_agg(json_build_object('rolloutId', t."rolloutId", 'wave', t."wave", 'state', t."state"))
              FROM target t WHERE t."k" = v."k") AS "acked",
           COALESCE(m."appliedRevision", c."appliedRevision") AS "applied",
           (SELECT count(*) FROM kept)::int AS "kept"
      FROM v LEFT JOIN pub ON pub."k" = v."k" LEFT JOIN moved m ON m."k" = v."k"
      LEFT JOIN "Cluster" c ON c."id" = v."clusterId" AND c."tenantId" = v."tenantId"`,
  );
  const byK = new Map(out.map((o) => [o.k, o]));
  return batch.map((_, k) => {
    const o = byK.get(k)!;
    return { published: o.published, acked: o.acked, applied: o.applied };
  });
}
