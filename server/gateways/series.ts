// A link's history over a range: each end's points, read from the coarsest rollup table
// that answers the question (chooseTable), bucketed to the step with date_bin.
import { AppError } from "../platform/errors";
import { db } from "../platform/db/client";
import type { RollupTable } from "./partitions";
import { HIST_BUCKETS, histQuantile } from "./rollup-math";
import { parseGatewaySettings, type GatewaySettings } from "./settings";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A chart needs no more points than this; a step is chosen to stay under it. */
export const MAX_POINTS = 1_500;
/** Without a step, about this many points: 30 days then read the hour table (60x fewer rows) at a 1 h step. */
export const DEFAULT_POINTS = 720;

export interface TableChoice {
  table: RollupTable;
  /** The step actually used (ms): a multiple of the table's resolution. */
  stepMs: number;
  /** The range start after clamping to the tenant's retention. */
  from: Date;
}

/**
 * The coarsest table whose resolution is no coarser than the step, and which still
 * holds the range's start: a step of an hour or more reads hours (60x fewer rows); a
 * finer step reads minutes while they are kept, hours beyond (the only data left).
 * Without a step, one is picked to give about DEFAULT_POINTS points.
 */
export function chooseTable(
  from: Date,
  to: Date,
  stepMs: number | undefined,
  now: Date,
  retention: Pick<GatewaySettings, "minuteRetentionDays" | "hourRetentionDays">,
): TableChoice {
  const hourHorizon = now.getTime() - retention.hourRetentionDays * DAY;
  const minuteHorizon = now.getTime() - retention.minuteRetentionDays * DAY;
  const start = new Date(Math.max(from.getTime(), hourHorizon));
  const span = Math.max(to.getTime() - start.getTime(), MINUTE);
  // A derived step is rounded to the nearest whole minute, not up: a client that reads the
  // clock twice asks for 24 h and a few milliseconds, and rounding that up turned the
  // 2-minute step into 3 minutes (480 points instead of 720, a third of the chart gone).
  const wanted = stepMs ?? Math.max(MINUTE, Math.round(span / DEFAULT_POINTS / MINUTE) * MINUTE);
  const table: RollupTable = wanted >= HOUR || start.getTime() < minuteHorizon ? "GatewayRollup1h" : "GatewayRollup1m";
  const unit = table === "GatewayRollup1h" ? HOUR : MINUTE;
  const aligned = stepMs === undefined ? Math.round(wanted / unit) * unit : Math.ceil(wanted / unit) * unit;
  // Never more than MAX_POINTS, even if the caller asked for a finer step.
  const step = Math.max(unit, aligned, Math.ceil(span / MAX_POINTS / unit) * unit);
  return { table, stepMs: step, from: start };
}

export interface SeriesPoint {
  t: string;
  clusterId: string;
  samples: number;
  rttAvg: number | null;
  rttP50: number | null;
  rttP95: number | null;
  rttMax: number | null;
  lossAvg: number | null;
  lossMax: number | null;
  rxBps: number | null;
  txBps: number | null;
  secondsUp: number;
  secondsDegraded: number;
  secondsDown: number;
  secondsUnknown: number;
}

export interface Series {
  linkId: string;
  table: RollupTable;
  stepSeconds: number;
  from: string;
  to: string;
  points: SeriesPoint[];
}

export interface SeriesQuery {
  tenantId: string;
  linkId: string;
  from: Date;
  to: Date;
  stepMs?: number;
  now?: Date;
  /** The tenant's settings; read with the link when not given. */
  settings?: GatewaySettings;
}

interface SeriesRow {
  t: Date;
  clusterId: string;
  samples: number;
  rttSum: number | null;
  rttCount: number;
  rttMin: number | null;
  rttMax: number | null;
  rttHist: number[] | null;
  lossSum: number | null;
  lossCount: number;
  lossMax: number | null;
  rxAvg: number | null;
  txAvg: number | null;
  secondsUp: number;
  secondsDegraded: number;
  secondsDown: number;
  secondsUnknown: number;
}

/** Element-wise sum of the histograms: one plain sum per bucket position. */
const HIST_SUM = `ARRAY[${Array.from({ length: HIST_BUCKETS }, (_, i) => `coalesce(sum("rttHist"[${i + 1}]), 0)`).join(", ")}]::integer[]`;

/**
 * The series statement ($1 tenant, $2 link, $3 from, $4 step, $5 to). The table name
 * comes from chooseTable (one of two constants), never from input.
 *
 * Instants travel as ISO strings with their offset and are cast to timestamptz, and the
 * bins' origin is midnight UTC: a Date parameter is sent without an offset and read in
 * the session's TimeZone, which would move the whole range on a server not set to UTC.
 *
 * The histograms are summed position by position (HIST_SUM) rather than by gw_hist_sum,
 * which runs a SQL function with a subquery of its own once per row (1,440 times for a
 * day of minutes).
 */
export function seriesSql(table: RollupTable): string {
  return `SELECT date_bin($4::interval, "bucket", TIMESTAMPTZ '2000-01-01 00:00:00+00') AS "t", "clusterId", sum("samples")::int AS "samples",
       sum("rttAvg" * "rttCount") AS "rttSum", sum("rttCount")::int AS "rttCount", min("rttMin") AS "rttMin", max("rttMax") AS "rttMax", ${HIST_SUM} AS "rttHist",
       sum("lossAvg" * "lossCount") AS "lossSum", sum("lossCount")::int AS "lossCount", max("lossMax") AS "lossMax",
       avg("rxAvg") AS "rxAvg", avg("txAvg") AS "txAvg",
       sum("secondsUp")::float8 AS "secondsUp", sum("secondsDegraded")::float8 AS "secondsDegraded", sum("secondsDown")::float8 AS "secondsDown", sum("secondsUnknown")::float8 AS "secondsUnknown"
     FROM "${table}" WHERE "tenantId" = $1 AND "linkId" = $2 AND "bucket" >= $3::timestamptz AND "bucket" < $5::timestamptz
     GROUP BY 1, 2 ORDER BY 1, 2`;
}

export async function readLinkSeries(q: SeriesQuery): Promise<Series> {
  if (!(q.from.getTime() < q.to.getTime())) throw new AppError("BAD_REQUEST", "from: must be before to");
  // The link's existence and the tenant's retention in one round trip (a chart is read
  // often, and on a busy server every round trip waits for a core).
  const [found] = await db().$queryRaw<Array<{ settings: unknown; link: boolean }>>`
    SELECT (SELECT "settings" FROM "Tenant" WHERE "id" = ${q.tenantId}) AS "settings",
           EXISTS (SELECT 1 FROM "GatewayLink" WHERE "id" = ${q.linkId} AND "tenantId" = ${q.tenantId}) AS "link"`;
  if (!found?.link) throw new AppError("NOT_FOUND", "gateway link not found");
  const settings = q.settings ?? parseGatewaySettings(found.settings);
  const choice = chooseTable(q.from, q.to, q.stepMs, q.now ?? new Date(), settings);
  const step = `${choice.stepMs / 1000} seconds`;
  const rows = await db().$queryRawUnsafe<SeriesRow[]>(seriesSql(choice.table), q.tenantId, q.linkId, choice.from.toISOString(), step, q.to.toISOString());
  return {
    linkId: q.linkId,
    table: choice.table,
    stepSeconds: choice.stepMs / 1000,
    from: choice.from.toISOString(),
    to: q.to.toISOString(),
    points: rows.map((r) => ({
      t: r.t.toISOString(),
      clusterId: r.clusterId,
      samples: r.samples,
      rttAvg: r.rttCount ? r.rttSum! / r.rttCount : null,
      rttP50: r.rttCount && r.rttHist ? histQuantile(r.rttHist, 0.5, r.rttMin!, r.rttMax!) : null,
      rttP95: r.rttCount && r.rttHist ? histQuantile(r.rttHist, 0.95, r.rttMin!, r.rttMax!) : null,
      rttMax: r.rttMax,
      lossAvg: r.lossCount ? r.lossSum! / r.lossCount : null,
      lossMax: r.lossMax,
      rxBps: r.rxAvg,
      txBps: r.txAvg,
      secondsUp: r.secondsUp,
      secondsDegraded: r.secondsDegraded,
      secondsDown: r.secondsDown,
      secondsUnknown: r.secondsUnknown,
    })),
  };
}
