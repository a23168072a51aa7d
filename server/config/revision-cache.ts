// The latest revision number per cluster, cached in Redis so heartbeats and long-polls
// answer without Postgres. The cache is only ever raised (two publishers finishing out
// of order cannot lower it) and is refilled from Postgres on a miss.
import { redisScript } from "../platform/redis-script";
import { db } from "../platform/db/client";
import { redis } from "../platform/redis";
import { LATEST_REVISION_TTL_SECONDS, latestRevisionKey } from "./keys";

const raise = redisScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > cur then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return tonumber(ARGV[1])
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return cur
`);

/** Raise the cached latest revision to `revision` (no-op when it is already higher). */
export async function raiseCachedRevision(clusterId: string, revision: number): Promise<number> {
  return Number(await raise(redis(), [latestRevisionKey(clusterId)], [revision, LATEST_REVISION_TTL_SECONDS]));
}

const raiseMany = redisScript(`
for i, k in ipairs(KEYS) do
  local cur = tonumber(redis.call('GET', k) or '-1')
  if tonumber(ARGV[i]) > cur then
    redis.call('SET', k, ARGV[i], 'EX', ARGV[#ARGV])
  else
    redis.call('EXPIRE', k, ARGV[#ARGV])
  end
end
return #KEYS
`);

/** raiseCachedRevision for many clusters in one round trip (all keys share the hash tag). */
export async function raiseCachedRevisions(revisions: ReadonlyArray<readonly [clusterId: string, revision: number]>) {
  if (revisions.length === 0) return;
  await raiseMany(
    redis(),
    revisions.map(([clusterId]) => latestRevisionKey(clusterId)),
    [...revisions.map(([, revision]) => revision), LATEST_REVISION_TTL_SECONDS],
  );
}

/** The cached number or null on a miss. */
export async function cachedRevision(clusterId: string): Promise<number | null> {
  const v = await redis().get(latestRevisionKey(clusterId));
  return v === null ? null : Number(v);
}

/** Latest revision from Postgres, put back into the cache. 0 when the cluster has none (or is gone). */
export async function loadRevisionIntoCache(tenantId: string, clusterId: string): Promise<number> {
  const row = await db().cluster.findFirst({ where: { id: clusterId, tenantId }, select: { desiredRevision: true } });
  const revision = row?.desiredRevision ?? 0;
  if (row) await raiseCachedRevision(clusterId, revision);
  return revision;
}

export async function latestRevisionNumber(tenantId: string, clusterId: string): Promise<number> {
  return (await cachedRevision(clusterId)) ?? loadRevisionIntoCache(tenantId, clusterId);
}

export async function forgetCachedRevision(clusterId: string) {
  await redis().del(latestRevisionKey(clusterId));
}
