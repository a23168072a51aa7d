// Rolls closed hours of the 1-minute table up into the 1-hour table, in SQL: sums and
// counts add, min and max combine, averages are weighted by their counts, and the RTT
// histograms add (gw_hist_sum) so the hour's p95 comes from all its samples' buckets
// (rollup-math.ts). Idempotent: an hour rolled again replaces its rows, so a run that
// also re-reads the previous hour (in case a run was missed) is harmless.
import { db } from "../platform/db/client";
import { ensurePartition } from "./partitions";
import { histQuantile } from "./rollup-math";
import { GRACE_MS } from "./flush-minutes";

const HOUR = 3_600_000;

/** Rolls up the last `hours` closed hours (those whose minutes have all been flushed). */
export async function rollupHours(now = new Date(), hours = 2): Promise<{ rows: number }> {
  // The last minute of an hour is flushed GRACE_MS after it closes, plus a flush period.
  const lastClosedHour = Math.floor((now.getTime() - GRACE_MS - 15_000) / HOUR) - 1;
  let rows = 0;
  for (let h = lastClosedHour - hours + 1; h <= lastClosedHour; h++) rows += await rollupHour(new Date(h * HOUR));
  return { rows };
}

export async function rollupHour(hour: Date): Promise<number> {
  await ensurePartition("GatewayRollup1h", hour);
  const end = new Date(hour.getTime() + HOUR);
  const groups = await db().$queryRaw<
    Array<{
      tenantId: string;
      linkId: string;
      clusterId: string;
      samples: number;
      rttSum: number | null;
      rttMin: number | null;
      rttMax: number | null;
      rttCount: number;
      lossSum: number | null;
      lossMax: number | null;
      lossCount: number;
      rxAvg: number | null;
      txAvg: number | null;
      secondsUp: number;
      secondsDegraded: number;
      secondsDown: number;
      secondsUnknown: number;
      rttHist: number[];
    }>
  >`
    SELECT "tenantId", "linkId", "clusterId", sum("samples")::int AS "samples",
      sum("rttAvg" * "rttCount") AS "rttSum", min("rttMin") AS "rttMin", max("rttMax") AS "rttMax", sum("rttCount")::int AS "rttCount",
      sum("lossAvg" * "lossCount") AS "lossSum", max("lossMax") AS "lossMax", sum("lossCount")::int AS "lossCount",
      avg("rxAvg") AS "rxAvg", avg("txAvg") AS "txAvg",
      sum("secondsUp")::float8 AS "secondsUp", sum("secondsDegraded")::float8 AS "secondsDegraded", sum("secondsDown")::float8 AS "secondsDown", sum("secondsUnknown")::float8 AS "secondsUnknown",
      gw_hist_sum("rttHist") AS "rttHist"
    FROM "GatewayRollup1m" WHERE "bucket" >= ${hour} AND "bucket" < ${end}
    GROUP BY "tenantId", "linkId", "clusterId"`;
  if (groups.length === 0) return 0;
  const records = groups.map((g) => ({
    tenantId: g.tenantId,
    linkId: g.linkId,
    clusterId: g.clusterId,
    samples: g.samples,
    rttAvg: g.rttCount ? g.rttSum! / g.rttCount : null,
    rttMin: g.rttMin,
    rttMax: g.rttMax,
    rttP95: g.rttCount ? histQuantile(g.rttHist, 0.95, g.rttMin!, g.rttMax!) : null,
    rttCount: g.rttCount,
    lossAvg: g.lossCount ? g.lossSum! / g.lossCount : null,
    lossMax: g.lossMax,
    lossCount: g.lossCount,
    rxAvg: g.rxAvg,
    txAvg: g.txAvg,
    secondsUp: g.secondsUp,
    secondsDegraded: g.secondsDegraded,
    secondsDown: g.secondsDown,
    secondsUnknown: g.secondsUnknown,
    rttHist: `{${g.rttHist.join(",")}}`,
  }));
  return db().$executeRaw`
    INSERT INTO "GatewayRollup1h" ("tenantId", "linkId", "clusterId", "bucket", "samples", "rttAvg", "rttMin", "rttMax", "rttP95", "rttCount",
      "lossAvg", "lossMax", "lossCount", "rxAvg", "txAvg", "secondsUp", "secondsDegraded", "secondsDown", "secondsUnknown", "rttHist")
    SELECT v."tenantId", v."linkId", v."clusterId", ${hour}::timestamptz, v."samples", v."rttAvg", v."rttMin", v."rttMax", v."rttP95", v."rttCount",
      v."lossAvg", v."lossMax", v."lossCount", v."rxAvg", v."txAvg", v."secondsUp", v."secondsDegraded", v."secondsDown", v."secondsUnknown", v."rttHist"::integer[]
    FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS v("tenantId" text, "linkId" text, "clusterId" text, "samples" int, "rttAvg" float8, "rttMin" float8,
      "rttMax" float8, "rttP95" float8, "rttCount" int, "lossAvg" float8, "lossMax" float8, "lossCount" int, "rxAvg" float8, "txAvg" float8,
      "secondsUp" real, "secondsDegraded" real, "secondsDown" real, "secondsUnknown" real, "rttHist" text)
    ON CONFLICT ("linkId", "clusterId", "bucket") DO UPDATE SET
      "samples" = EXCLUDED."samples", "rttAvg" = EXCLUDED."rttAvg", "rttMin" = EXCLUDED."rttMin", "rttMax" = EXCLUDED."rttMax", "rttP95" = EXCLUDED."rttP95",
      "rttCount" = EXCLUDED."rttCount", "lossAvg" = EXCLUDED."lossAvg", "lossMax" = EXCLUDED."lossMax", "lossCount" = EXCLUDED."lossCount",
      "rxAvg" = EXCLUDED."rxAvg", "txAvg" = EXCLUDED."txAvg", "secondsUp" = EXCLUDED."secondsUp", "secondsDegraded" = EXCLUDED."secondsDegraded",
      "secondsDown" = EXCLUDED."secondsDown", "secondsUnknown" = EXCLUDED."secondsUnknown", "rttHist" = EXCLUDED."rttHist"`;
}
