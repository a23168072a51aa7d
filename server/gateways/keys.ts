// Redis layout of gateway history (every key under the {isthmus} hash tag).
import { key } from "../redis";

/** Minute number (ms since the epoch ÷ 60,000) a time falls in. */
export const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/** Hash of one cluster's samples in one minute: field = link id, value = its packed accumulators (rollup-math.ts). */
export const minuteBucketKey = (minute: number, clusterId: string) => key("gw", "m", minute, clusterId);
/** Set of "<clusterId> <tenantId>" with a bucket in that minute, not yet flushed. */
export const minutePendingKey = (minute: number) => key("gw", "pending", minute);
/** Sorted set of minutes (score = member = minute number) that have pending buckets. */
export const MINUTES_KEY = key("gw", "minutes");

/**
 * A bucket outlives its minute by this long if no flush takes it (workers down): long
 * enough for them to come back, short enough that a fleet's buckets cannot pile up.
 */
export const BUCKET_TTL_SECONDS = 3600;
