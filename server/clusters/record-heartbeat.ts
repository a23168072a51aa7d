// A heartbeat touches Redis only: seq check, hot state (which also serves link health:
// see gateways/link-health.ts), dirty mark and the cached desired revision, in one script
// call shared by every heartbeat that arrives within BATCH_WINDOW_MS of the first.
// Postgres gets the batched result from flushClusterState().
import { ERROR_CODES, MAX_LEGACY_SEQ_AHEAD_MS, MAX_SEQ_JUMP, ZHeartbeatRequest, type HeartbeatRequest, type HeartbeatResponse } from "../../protocol/index";
import { latestRevisionKey } from "../config/keys";
import { loadRevisionIntoCache } from "../config/revision-cache";
import { env } from "../platform/env";
import { batchRedis } from "../platform/redis";
import { tickBatch } from "../platform/tick-batch";
import { numberText } from "../platform/number-text";
import { parseInput } from "../platform/validation";
import type { AgentPrincipal } from "../platform/agent-principal";
import { fastHeartbeat } from "./heartbeat-fast-check";
import { ProtocolError } from "../platform/protocol-error";
import { HOT_STATE_TTL_SECONDS, hotStateKey } from "../hot-state/keys";
import { DIRTY_CLUSTERS_KEY } from "./keys";
import { redisScript } from "../platform/redis-script";
import { sampleSpool } from "../gateways/sample-spool";

// KEYS: the dirty set, then per heartbeat its hot state and its latest-revision key.
// ARGV: TTL, the largest seq jump within a session, how far (ms) a seq without a
// session may run ahead of the clock, then three per heartbeat: its scalars in one
// string ("seq applied arrival persistInterval clusterId tenantId inventoryBytes
// session": safe integers, which print as plain digits, ids without spaces, and the
// agent's session or '-' for none), its body, and its components' JSON followed by its
// inventory's ('' when not sent). Packed so a call of a dozen heartbeats has ~40
// arguments instead of ~110: encoding them was a tenth of the agent API's busy time in
// a profile at 5,000/s. Gateway history is not in this call: an accepted heartbeat's
// samples go to the process's spool (gateways/sample-spool.ts).
// Answers per heartbeat: accepted (1), ignored (0) or refused (-1), and the cached
// desired revision ('' on a miss).
// * A new agent session (one the hot state has not seen) restarts the sequence: its
//   seq is accepted whatever it is and becomes the floor.
// * A seq not above the last accepted one changes nothing, link health included: a
//   delayed or replayed heartbeat can never move status backwards.
// * A seq too far above it is refused (and changes nothing): once accepted it would
//   make every later real heartbeat look stale and the live cluster go UNKNOWN. Within
//   a session the bound is MAX_SEQ_JUMP; without one (older agents, whose seq starts
//   from their clock in ms) a seq may not run more than a day ahead of the clock.
//
// The hot state always moves (seq, last seen, the body). Postgres is told (the cluster
// is marked dirty for the flush) only when something it keeps changed (components,
// applied revision, inventory, session) or when the cluster was last marked at least
// the persist interval ago, about a lease (persistInterval). So Postgres's lastSeenAt
// trails the hot state by at most about two leases plus a flush, inside the three
// leases after which a cluster is UNKNOWN, as Kubernetes' node status trails its
// lease. Every reader of last-seen prefers the hot state. The fields that only change
// with a mark, and the TTL, are written only then.
const heartbeats = redisScript(`
local out = {}
local maxJump, legacyAhead = tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 1, (#KEYS - 1) / 2 do
  local k, a = 2 + (i - 1) * 2, 4 + (i - 1) * 3
  local hot, rev = KEYS[k], KEYS[k + 1]
  local seq, applied, now, persist, cid, tid, invBytes, session = string.match(ARGV[a], '^(%d+) (%d+) (%d+) (%d+) (%S+) (%S+) (%d+) (%S+)$')
  local prev = redis.call('HMGET', hot, 'seq', 'applied', 'components', 'marked', 'session')
  local s, floor = tonumber(seq), tonumber(prev[1] or '-1')
  local newSession = session ~= '-' and session ~= (prev[5] or '-')
  local accepted = 0
  if newSession then
    accepted = 1
  elseif s > floor then
    if session ~= '-' then
      if floor >= 0 and s - floor > maxJump then accepted = -1 else accepted = 1 end
    elseif s > tonumber(now) + legacyAhead then
      accepted = -1
    else
      accepted = 1
    end
  end
  if accepted == 1 then
    redis.call('HSET', hot, 'seq', seq, 'lastSeen', now, 'hb', ARGV[a + 1], 'session', session)
    local extra, ilen = ARGV[a + 2], tonumber(invBytes)
    local components = string.sub(extra, 1, #extra - ilen)
    if newSession or ilen > 0 or prev[2] ~= applied or prev[3] ~= components or tonumber(now) - tonumber(prev[4] or '0') >= tonumber(persist) then
      redis.call('HSET', hot, 'marked', now, 'applied', applied, 'components', components, 'tenantId', tid)
      if ilen > 0 then redis.call('HSET', hot, 'inventory', string.sub(extra, #extra - ilen + 1)) end
      redis.call('EXPIRE', hot, ARGV[1])
      redis.call('SADD', KEYS[1], cid)
    end
  end
  out[2 * i - 1] = accepted
  out[2 * i] = redis.call('GET', rev) or ''
end
return out
`);

// An ordinary heartbeat is ~1.5 KB; a body this long is stored re-encoded instead, so
// padding cannot make a cluster's hot state larger than its validated content.
const MAX_STORED_AS_SENT = 16 * 1024;

interface Queued {
  clusterId: string;
  tenantId: string;
  seq: number;
  /** The agent's session, '-' for none. */
  session: string;
  applied: number;
  /** The heartbeat (without inventory) as JSON: the bytes as received, or re-encoded text. */
  body: string | Buffer;
  /** Its components as JSON text: the part the flush writes to Postgres. */
  components: string;
  inventory: string;
  now: number;
  /** Mark the cluster for Postgres at least this often (ms): about its lease (persistInterval). */
  persistMs: number;
}

// At most this many heartbeats per script call, so one call never holds Redis for long.
const MAX_BATCH = 256;

// Heartbeats arriving within this long of each other share one script call. Batching by
// event-loop turn alone gave ~4 heartbeats per call at 5,000/s; every call is a write to
// Redis that wakes it, and a reply that wakes this process. With 2 ms, ~12 per call: in
// the agent benchmark (2,000 clusters, 5,000/s) the agent API's CPU fell from 59 % to
// 49 % and Redis's from 16 % to 11 %, for ~2 ms more at the median.
const BATCH_WINDOW_MS = 2;

const record = tickBatch<Queued, [number, string]>(
  async (items) => {
    const keys: string[] = [DIRTY_CLUSTERS_KEY];
    const args: Array<string | number | Buffer> = [HOT_STATE_TTL_SECONDS, MAX_SEQ_JUMP, MAX_LEGACY_SEQ_AHEAD_MS];
    for (const h of items) {
      keys.push(hotStateKey(h.clusterId), latestRevisionKey(h.clusterId));
      const inventoryBytes = h.inventory === "" ? 0 : Buffer.byteLength(h.inventory);
      // numberText, not template numbers: a heartbeat's seq is a number seen nowhere else
      // (platform/number-text.ts says what String() did with those).
      args.push(
        `${numberText(h.seq)} ${numberText(h.applied)} ${numberText(h.now)} ${numberText(h.persistMs)} ${h.clusterId} ${h.tenantId} ${numberText(inventoryBytes)} ${h.session}`,
        h.body,
        h.components + h.inventory,
      );
    }
    // On the connection without auto-pipelining: this call is already a batch, and an
    // auto-pipeline would hold it (and every request waiting on it) for one more turn. In
    // the agent benchmark that extra turn got each command, its arguments and the bodies
    // they carry promoted to the old generation: ~2.5 KB per heartbeat, against ~0.3 KB
    // without it.
    const flat = (await heartbeats(batchRedis(), keys, args)) as Array<number | string>;
    return items.map((_, i) => [Number(flat[2 * i]), String(flat[2 * i + 1] ?? "")] as [number, string]);
  },
  MAX_BATCH,
  BATCH_WINDOW_MS,
);

/**
 * How long after its last mark an unchanged heartbeat marks its cluster again: a lease,
 * less up to a third at random. Without the jitter a fleet that arrived together (the
 * first heartbeats after enrolment, or after a control plane restart) came back to
 * Postgres in waves a lease apart, each a burst of flush work that delayed heartbeats;
 * drawn anew at every heartbeat, the marks spread out within a few leases.
 */
function persistInterval(leaseSeconds: number): number {
  return Math.round(leaseSeconds * 1000 * (1 - Math.random() / 3));
}

let history: boolean | undefined;
/** GATEWAY_HISTORY: off leaves the samples out of gateway history (nothing goes to the spool). */
const historyOn = () => (history ??= env().GATEWAY_HISTORY === "on");

export interface HeartbeatResult extends HeartbeatResponse {
  /** False when the seq was not above the last accepted one (the heartbeat was ignored). */
  accepted: boolean;
}

export interface RecordHeartbeatOptions {
  /** Arrival time (ms); defaults to now. */
  now?: number;
  /** The body's bytes as received: stored as they are when the body is an ordinary heartbeat, saving a re-encoding. */
  raw?: Buffer;
}

export async function recordHeartbeat(agent: AgentPrincipal, body: unknown, opts: RecordHeartbeatOptions = {}): Promise<HeartbeatResult> {
  const now = opts.now ?? Date.now();
  const fast = fastHeartbeat(body);
  const hb: HeartbeatRequest = fast ?? parseInput(ZHeartbeatRequest, body);
  const { clusterId, tenantId } = agent;
  // The fast check passes only bodies with exactly the heartbeat's own fields, no inventory.
  const asSent = fast && opts.raw !== undefined && opts.raw.length <= MAX_STORED_AS_SENT ? opts.raw : null;
  const [accepted, desired] = await record({
    clusterId,
    tenantId,
    seq: hb.seq,
    session: hb.session ?? "-",
    applied: hb.appliedRevision,
    body:
      asSent ??
      JSON.stringify({
        seq: hb.seq,
        ...(hb.session ? { session: hb.session } : {}),
        sentAt: hb.sentAt,
        appliedRevision: hb.appliedRevision,
        components: hb.components,
        gateways: hb.gateways,
      }),
    components: JSON.stringify(hb.components),
    inventory: hb.inventory ? JSON.stringify(hb.inventory) : "",
    now,
    persistMs: persistInterval(agent.leaseDurationSeconds),
  });
  if (accepted === -1) {
    throw new ProtocolError(
      "CONFLICT",
      ERROR_CODES.seqOutOfRange,
      hb.session
        ? `seq ${hb.seq} is more than ${MAX_SEQ_JUMP} above the last accepted seq of this agent session; start a new session to restart the sequence`
        : `seq ${hb.seq} is more than ${MAX_LEGACY_SEQ_AHEAD_MS} ahead of the server clock in ms; send a session to restart the sequence`,
    );
  }
  if (accepted === 1 && historyOn()) sampleSpool().add(clusterId, tenantId, hb.gateways, now);
  const desiredRevision = desired === "" ? await loadRevisionIntoCache(tenantId, clusterId) : Number(desired);
  return { accepted: accepted === 1, desiredRevision, leaseDurationSeconds: agent.leaseDurationSeconds, serverTime: new Date(now).toISOString() };
}
