// Redis layout of gateway history (every key under the {isthmus} hash tag).
import { key } from "../redis";

/** Minute number (ms since the epoch ÷ 60,000) a time falls in. */
export const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/** One cluster's samples of one minute, as appended text (rollup-math.ts encodeSamples). */
export const minuteBucketKey = (minute: number, clusterId: string) => key("gw", "m", minute, clusterId);
/** Set of "<clusterId> <tenantId>" with a bucket in that minute, not yet flushed. */
export const minutePendingKey = (minute: number) => key("gw", "pending", minute);
/** Sorted set of minutes (score = member = minute number) that have pending buckets. */
export const MINUTES_KEY = key("gw", "minutes");

/**
 * A bucket outlives its first sample by this long if no flush takes it (workers down):
 * long enough for a restart, short enough that a fleet's raw samples cannot pile up in
 * Redis (10,000 clusters write ~20 MB a minute). Workers down for longer lose those
 * minutes' history, never the live state.
 */
export const BUCKET_TTL_SECONDS = 15 * 60;
