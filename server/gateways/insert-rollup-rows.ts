// One INSERT of many link ends' minute rows into the 1-minute table (never a write per
// sample or per heartbeat), shared by the two ways a minute reaches it: the agent APIs'
// spool (flush-spool.ts) and the previous versions' per-cluster buckets (flush-minutes.ts).
import { db } from "../platform/db/client";
import { toRollupRow, type Accumulator } from "./rollup-math";

export interface EndRow {
  tenantId: string;
  clusterId: string;
  linkId: string;
  acc: Accumulator;
}

/** Writes the rows; returns how many were written (rows of links the cluster is not an end of, or of another tenant, are left out). */
export async function insertRollupRows(bucketAt: Date, ends: readonly EndRow[]): Promise<number> {
  if (ends.length === 0) return 0;
  const records = ends.map((e) => {
    const r = toRollupRow(e.acc);
    return { tenantId: e.tenantId, linkId: e.linkId, clusterId: e.clusterId, ...r, rttHist: `{${r.rttHist.join(",")}}` };
  });
  // Only ends of links of the cluster's own tenant: a cluster reporting someone else's
  // link id writes nothing (as it moves nothing in link-health.ts). A row already there
  // (a minute written again after a worker died mid-way) stays as it is: it was computed
  // from the same samples.
  return db().$executeRaw`
    INSERT INTO "GatewayRollup1m" ("tenantId", "linkId", "clusterId", "bucket", "samples", "rttAvg", "rttMin", "rttMax", "rttP95", "rttCount",
      "lossAvg", "lossMax", "lossCount", "rxAvg", "txAvg", "secondsUp", "secondsDegraded", "secondsDown", "secondsUnknown", "rttHist")
    SELECT v."tenantId", v."linkId", v."clusterId", ${bucketAt}::timestamptz, v."samples", v."rttAvg", v."rttMin", v."rttMax", v."rttP95", v."rttCount",
      v."lossAvg", v."lossMax", v."lossCount", v."rxAvg", v."txAvg", v."secondsUp", v."secondsDegraded", v."secondsDown", v."secondsUnknown", v."rttHist"::integer[]
    FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS v("tenantId" text, "linkId" text, "clusterId" text, "samples" int, "rttAvg" float8, "rttMin" float8,
      "rttMax" float8, "rttP95" float8, "rttCount" int, "lossAvg" float8, "lossMax" float8, "lossCount" int, "rxAvg" float8, "txAvg" float8,
      "secondsUp" real, "secondsDegraded" real, "secondsDown" real, "secondsUnknown" real, "rttHist" text)
    JOIN "GatewayLink" l ON l."id" = v."linkId" AND l."tenantId" = v."tenantId" AND v."clusterId" IN (l."serverClusterId", l."clientClusterId")
    ON CONFLICT DO NOTHING`;
}
