// Writes closed minutes' gateway samples from Redis to the 1-minute rollup table, in
// batches: one INSERT per batch of link ends, never a write per sample or per heartbeat.
// A minute's samples arrive two ways: the agent APIs' spool chunks (flush-spool.ts), and
// per-cluster buckets that agent APIs of earlier versions appended to (below), still read
// so that a rolling upgrade loses no minute.
//
// Timing: a minute is flushed once it has been closed for GRACE_MS (the agent APIs push
// their spools every second; a heartbeat stamped inside the minute may still be on its
// way), and spread over SPREAD_MS after that, so the last row is written by GRACE_MS +
// SPREAD_MS plus one run's interval, ~37 s after the minute closes, inside the 70 s the
// history promises. Written all at once, 10,000 clusters' minute was a 3 s burst of this
// process and PostgreSQL every minute (~50 % and ~35 % of a core), during which the agent
// API on the same cores fell behind on heartbeats. A small minute (one batch) is written
// whole at the first run after the grace.
//
// Buckets: each run takes its share of the minute's buckets still pending (never less
// than one batch). Several workers may flush at once: SPOP hands each cluster's bucket to
// one of them. A batch that fails goes back to the pending set; a batch written but not
// yet deleted from Redis (the process died in between) is written again harmlessly (ON
// CONFLICT DO NOTHING on the row's key).
import { logger } from "../platform/logger";
import { SCHEDULES } from "../platform/queues";
import { redis } from "../platform/redis";
import { gatewayKeys, minuteOf, type GatewayKeys } from "./keys";
import { ensurePartition } from "./partitions";
import { flushSpoolMinute } from "./flush-spool";
import { insertRollupRows, type EndRow } from "./insert-rollup-rows";
import { parseBucket } from "./sample-codec";

export const GRACE_MS = 5_000;
export const SPREAD_MS = 30_000;

export interface FlushMinutesOptions {
  now?: Date;
  batchSize?: number;
  /** The deployment's Redis key prefix (its queues'): only buckets under it are flushed. Defaults to {isthmus}. */
  prefix?: string;
  /** How often the job runs (ms): with SPREAD_MS, how many runs share a minute. */
  intervalMs?: number;
}

/** Flushes every closed minute; returns how many rows were written (rows of links the cluster is not an end of are left out). */
export async function flushMinutes(opts: FlushMinutesOptions = {}): Promise<{ minutes: number; rows: number }> {
  const now = (opts.now ?? new Date()).getTime();
  const batchSize = opts.batchSize ?? 500;
  const keys = gatewayKeys(opts.prefix);
  const lastClosed = minuteOf(now - GRACE_MS) - 1;
  const minutes = (await redis().zrangebyscore(keys.minutes, "-inf", lastClosed)).map(Number);
  let rows = 0;
  const intervalMs = opts.intervalMs ?? SCHEDULES["gateways.flush-minutes"];
  for (const minute of minutes) {
    const bucketAt = new Date(minute * 60_000);
    await ensurePartition("GatewayRollup1m", bucketAt);
    const deadline = (minute + 1) * 60_000 + GRACE_MS + SPREAD_MS;
    rows += await flushSpoolMinute(keys, minute, bucketAt, { now, deadline, batchSize });
    const pending = keys.pending(minute);
    // This run's share: what is pending over the runs left before the minute's deadline
    // (one when it has passed, so a backlog is written at once).
    const runsLeft = Math.max(1, Math.floor((deadline - now) / intervalMs));
    let quota = Math.max(batchSize, Math.ceil((await redis().scard(pending)) / runsLeft));
    while (quota > 0) {
      const take = Math.min(batchSize, quota);
      const members = (await redis().spop(pending, take)) as string[];
      if (members.length === 0) break;
      quota -= members.length;
      try {
        rows += await writeBatch(keys, minute, bucketAt, members);
      } catch (err) {
        await redis()
          .sadd(pending, ...members)
          .catch(() => {});
        logger.error({ err, minute, clusters: members.length }, "flushing gateway minute buckets failed");
        throw err;
      }
      if (members.length < take) break;
    }
    // Only once its pending set and its spool are empty (another worker may still hold a
    // batch or the spool of it: then its rows are on their way).
    if ((await redis().scard(pending)) === 0 && (await redis().llen(keys.spool(minute))) === 0) await redis().zrem(keys.minutes, String(minute));
  }
  return { minutes: minutes.length, rows };
}

async function writeBatch(keys: GatewayKeys, minute: number, bucketAt: Date, members: string[]): Promise<number> {
  const ends = members.map((m) => {
    const [clusterId = "", tenantId = ""] = m.split(" ");
    return { clusterId, tenantId, key: keys.bucket(minute, clusterId) };
  });
  const pipe = redis().pipeline();
  for (const e of ends) pipe.get(e.key);
  const res = (await pipe.exec()) ?? [];
  const rows: EndRow[] = [];
  ends.forEach((e, i) => {
    const bucket = res[i]?.[1];
    if (typeof bucket !== "string") return;
    for (const [linkId, acc] of parseBucket(bucket)) rows.push({ tenantId: e.tenantId, clusterId: e.clusterId, linkId, acc });
  });
  const written = await insertRollupRows(bucketAt, rows);
  await redis().del(...ends.map((e) => e.key));
  return written;
}
