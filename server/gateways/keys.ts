// Redis layout of gateway history. Every key lies under the deployment's key prefix (the
// one its queues and hot state use, {isthmus} unless a deployment is given another), so
// two deployments sharing one Redis never flush each other's buckets.
import { KEY_PREFIX } from "../platform/redis";

/** Minute number (ms since the epoch ÷ 60,000) a time falls in. */
export const minuteOf = (ms: number) => Math.floor(ms / 60_000);

export interface GatewayKeys {
  /** One cluster's samples of one minute, as the previous versions' agent APIs appended them (sample-codec.ts parseBucket). */
  bucket(minute: number, clusterId: string): string;
  /** List of the agent APIs' spool chunks of one minute (sample-spool.ts). */
  spool(minute: number): string;
  /** Held by the worker summing a minute's spool (flush-spool.ts). */
  spoolLock(minute: number): string;
  /** Set of "<clusterId> <tenantId>" with a bucket in that minute, not yet flushed. */
  pending(minute: number): string;
  /** Sorted set of minutes (score = member = minute number) that have pending buckets or spool chunks. */
  minutes: string;
}

/** The gateway history keys under a key prefix (keep its {hash tag}: a script call touches several of them). */
export function gatewayKeys(prefix: string = KEY_PREFIX): GatewayKeys {
  return {
    bucket: (minute, clusterId) => `${prefix}:gw:m:${minute}:${clusterId}`,
    pending: (minute) => `${prefix}:gw:pending:${minute}`,
    spool: (minute) => `${prefix}:gw:s:${minute}`,
    spoolLock: (minute) => `${prefix}:gw:s-lock:${minute}`,
    minutes: `${prefix}:gw:minutes`,
  };
}

const DEFAULT_KEYS = gatewayKeys();
/** The keys under the default prefix (what the agent API writes and the flush reads by default). */
export const minuteBucketKey = DEFAULT_KEYS.bucket;
export const minutePendingKey = DEFAULT_KEYS.pending;
export const minuteSpoolKey = DEFAULT_KEYS.spool;
export const MINUTES_KEY = DEFAULT_KEYS.minutes;

/**
 * A bucket outlives its first sample by this long if no flush takes it (workers down):
 * long enough for a restart, short enough that a fleet's raw samples cannot pile up in
 * Redis (10,000 clusters write ~20 MB a minute). Workers down for longer lose those
 * minutes' history, never the live state.
 */
export const BUCKET_TTL_SECONDS = 15 * 60;
