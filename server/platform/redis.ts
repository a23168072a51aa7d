import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env";

// Every key carries the {isthmus} hash tag so multi-key operations and BullMQ work on
// Redis Cluster (all keys land in one slot).
export const KEY_PREFIX = "{isthmus}";
export const key = (...parts: Array<string | number>) => [KEY_PREFIX, ...parts].join(":");

const globalForRedis = globalThis as unknown as { isthmusRedis?: Redis; isthmusBatchRedis?: Redis };

// Options of the shared command connections: fail fast when Redis is down instead of
// queueing commands without end.
const SHARED: RedisOptions = { enableOfflineQueue: true, maxRetriesPerRequest: 2, lazyConnect: false };

/** Shared command connection. */
export function redis(): Redis {
  // Commands issued in the same event-loop tick go out as one write: under load (the
  // agent API answering thousands of heartbeats a second) that turns many small socket
  // writes and reads into a few large ones.
  globalForRedis.isthmusRedis ??= new Redis(env().REDIS_URL, { ...SHARED, enableAutoPipelining: true });
  return globalForRedis.isthmusRedis;
}

/**
 * A shared connection without auto-pipelining, for callers that already batch their own
 * commands (the heartbeat script): each call is written at once instead of waiting for
 * the next event-loop turn in an auto-pipeline.
 */
export function batchRedis(): Redis {
  globalForRedis.isthmusBatchRedis ??= new Redis(env().REDIS_URL, { ...SHARED, enableAutoPipelining: false });
  return globalForRedis.isthmusBatchRedis;
}

/** A new connection, for subscribers and BullMQ workers (which block). */
export function newRedis(options: RedisOptions = {}): Redis {
  return new Redis(env().REDIS_URL, options);
}

export async function closeRedis() {
  await Promise.all([globalForRedis.isthmusRedis?.quit().catch(() => {}), globalForRedis.isthmusBatchRedis?.quit().catch(() => {})]);
  globalForRedis.isthmusRedis = undefined;
  globalForRedis.isthmusBatchRedis = undefined;
}
