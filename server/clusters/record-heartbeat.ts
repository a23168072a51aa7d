// A heartbeat touches Redis only, in one script call: seq check, hot state (which also
// serves link health: see slices/link-health.ts), dirty mark and the cached desired
// revision. Postgres gets the batched result from flushClusterState().
import { ZHeartbeatRequest, type HeartbeatResponse } from "../../protocol/index";
import { latestRevisionKey } from "../config/keys";
import { loadRevisionIntoCache } from "../config/revision-cache";
import { redis } from "../redis";
import { parseInput } from "../validation";
import type { AgentPrincipal } from "./agent-principal";
import { fastHeartbeat } from "./heartbeat-fast-check";
import { DIRTY_CLUSTERS_KEY, HOT_STATE_TTL_SECONDS, hotStateKey } from "./keys";
import { redisScript } from "./redis-script";

// KEYS: hot state, dirty set, latest revision. ARGV: seq, now (ms), applied revision,
// components, gateways, inventory ('' when not sent), cluster id, tenant id, TTL.
// A seq not above the last accepted one changes nothing, link health included: a
// delayed or replayed heartbeat can never move status backwards.
const heartbeat = redisScript(`
local last = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
local desired = redis.call('GET', KEYS[3]) or ''
if tonumber(ARGV[1]) <= last then return {0, desired} end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'lastSeen', ARGV[2], 'applied', ARGV[3], 'components', ARGV[4], 'gateways', ARGV[5], 'tenantId', ARGV[8])
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'inventory', ARGV[6]) end
redis.call('EXPIRE', KEYS[1], ARGV[9])
redis.call('SADD', KEYS[2], ARGV[7])
return {1, desired}
`);

export interface HeartbeatResult extends HeartbeatResponse {
  /** False when the seq was not above the last accepted one (the heartbeat was ignored). */
  accepted: boolean;
}

export async function recordHeartbeat(agent: AgentPrincipal, body: unknown, now = Date.now()): Promise<HeartbeatResult> {
  const hb = fastHeartbeat(body) ?? parseInput(ZHeartbeatRequest, body);
  const { clusterId, tenantId } = agent;
  const keys = [hotStateKey(clusterId), DIRTY_CLUSTERS_KEY, latestRevisionKey(clusterId)];
  const args: Array<string | number> = [
    hb.seq,
    now,
    hb.appliedRevision,
    JSON.stringify(hb.components),
    JSON.stringify(hb.gateways),
    hb.inventory ? JSON.stringify(hb.inventory) : "",
    clusterId,
    tenantId,
    HOT_STATE_TTL_SECONDS,
  ];
  const [accepted, desired] = (await heartbeat(redis(), keys, args)) as [number, string];
  const desiredRevision = desired === "" ? await loadRevisionIntoCache(tenantId, clusterId) : Number(desired);
  return { accepted: accepted === 1, desiredRevision, leaseDurationSeconds: agent.leaseDurationSeconds, serverTime: new Date(now).toISOString() };
}
