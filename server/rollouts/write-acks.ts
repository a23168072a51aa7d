// The one statement that records acks: the ack rows, their rollout targets, and the
// clusters' applied revisions, for one ack or a batch (ack-batch.ts). An ack moves its
// target and the applied revision only for the revision published with that exact hash,
// and the applied revision only forward, for an APPLIED ack.
import { randomUUID } from "node:crypto";
import type { AckRequest } from "../../protocol/index";
import type { Tx } from "../platform/db/client";
import type { AckedTarget } from "./ack-target";

export interface AckOutcome {
  /** The hash published as this revision, null when none was. */
  published: string | null;
  /** The rollout targets this ack moved. */
  acked: AckedTarget[] | null;
  applied: number | null;
}

export interface AckToWrite {
  tenantId: string;
  clusterId: string;
  ack: AckRequest;
}

/**
 * Record the acks; at most one per cluster (two of one cluster in the same UPDATE would
 * move its row once, by whichever matched first). Every CTE sees the snapshot from before
 * the statement, so the applied revision is the updated one when it moved, the stored
 * one otherwise; the data-modifying CTEs run whether or not the SELECT reads them.
 */
export async function writeAcks(tx: Tx, acks: readonly AckToWrite[]): Promise<AckOutcome[]> {
  const rows = JSON.stringify(
    acks.map(({ tenantId, clusterId, ack }, k) => {
      const failed = ack.status === "FAILED";
      const reason = ack.message?.slice(0, 1000) ?? null;
      return {
        k,
        id: randomUUID(),
        tenantId,
        clusterId,
        revision: ack.revision,
        hash: ack.hash,
        status: ack.status,
        message: ack.message ?? null,
        objects: ack.objects ?? null,
        reason: failed ? reason : null,
        evidence: failed ? { ack: { revision: ack.revision, status: ack.status, message: reason } } : null,
      };
    }),
  );
  const out = await tx.$queryRaw<Array<AckOutcome & { k: number }>>`
    WITH v AS (
      SELECT * FROM jsonb_to_recordset(${rows}::jsonb)
        AS v("k" int, "id" text, "tenantId" text, "clusterId" text, "revision" int, "hash" text, "status" text,
             "message" text, "objects" jsonb, "reason" text, "evidence" jsonb)
    ), pub AS (
      SELECT v."k", r."hash" FROM v JOIN "ConfigRevision" r ON r."tenantId" = v."tenantId" AND r."clusterId" = v."clusterId" AND r."revision" = v."revision"
    ), kept AS (
      INSERT INTO "ConfigAck" ("id", "tenantId", "clusterId", "revision", "hash", "status", "message", "objects")
      SELECT "id", "tenantId", "clusterId", "revision", "hash", "status"::"AckStatus", "message", "objects" FROM v
    ), target AS (
      -- The rollout that published this revision with this hash learns how it went
      -- (also converging an offline target when its agent returns).
      UPDATE "RolloutTarget" t SET "state" = v."status", "ackedAt" = now(), "updatedAt" = now(), "reason" = v."reason", "evidence" = v."evidence"
        FROM v JOIN pub ON pub."k" = v."k" AND pub."hash" = v."hash"
       WHERE t."tenantId" = v."tenantId" AND t."clusterId" = v."clusterId" AND t."toRevision" = v."revision" AND t."hash" = v."hash"
         AND t."state" IN ('PUBLISHED', 'OFFLINE_PENDING')
      RETURNING v."k", t."rolloutId", t."wave", t."state"
    ), moved AS (
      UPDATE "Cluster" c SET "appliedRevision" = v."revision"
        FROM v JOIN pub ON pub."k" = v."k" AND pub."hash" = v."hash"
       WHERE c."id" = v."clusterId" AND c."tenantId" = v."tenantId" AND c."appliedRevision" < v."revision" AND v."status" = 'APPLIED'
      RETURNING v."k", c."appliedRevision"
    )
    SELECT v."k", pub."hash" AS "published",
           (SELECT json_agg(json_build_object('rolloutId', t."rolloutId", 'wave', t."wave", 'state', t."state"))
              FROM target t WHERE t."k" = v."k") AS "acked",
           COALESCE(m."appliedRevision", c."appliedRevision") AS "applied"
      FROM v LEFT JOIN pub ON pub."k" = v."k" LEFT JOIN moved m ON m."k" = v."k"
      LEFT JOIN "Cluster" c ON c."id" = v."clusterId" AND c."tenantId" = v."tenantId"`;
  const byK = new Map(out.map((o) => [o.k, o]));
  return acks.map((_, k) => {
    const o = byK.get(k)!;
    return { published: o.published, acked: o.acked, applied: o.applied };
  });
}
