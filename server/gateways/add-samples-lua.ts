// Lua, spliced into the heartbeat script (clusters/record-heartbeat.ts): appends one
// accepted heartbeat's gateway samples (encodeSamples in sample-codec.ts) to its
// cluster's bucket for the minute it arrived in. History therefore costs no Postgres
// write per sample or per heartbeat, and no extra round trip: the heartbeat's one script
// call does it. The minute flush (flush-minutes.ts) sums each closed bucket in the
// workers, in TypeScript.
//
// Why append and sum later, not sum here: the first version kept per-link running sums
// (count, sums, min, max, an RTT histogram) updated in this script. Parsing and printing
// ~30 numbers per sample in Lua made Redis the bottleneck: in the agent benchmark (2,000
// clusters, 8 samples per heartbeat, a busy machine) Redis went from 5 % to 35 % of a
// core at 2,000 heartbeats/s and the ceiling fell by a third. An APPEND of bytes the
// agent API already packed costs Redis next to nothing; the sums move to the workers.
// The price is memory: a bucket holds its minute's samples (35 bytes plus the link id, ~60 in all) until the
// flush, 5-37 s after the minute closes (flush-minutes.ts spreads a big minute over 30 s).
//
// Why in Redis and not in the agent API's memory: buckets held in the agent API's heap
// for a minute would survive the young-generation scavenges and be promoted (the very
// garbage the heartbeat path was tuned to avoid), would need a hand-off that survives
// that process dying mid-minute, and would split one link end's minute across agent API
// replicas. In Redis, every replica appends to the same bucket.
//
// Per heartbeat: one APPEND; the first of a cluster's minute also sets the TTL and
// records the bucket as pending (SADD) and the minute (ZADD). A bucket stops growing once
// it reaches MAX_BUCKET_BYTES: a normal cluster writes ~2 KB a minute (4 heartbeats of 8
// samples), so only an agent heartbeating far too often hits it, and it cannot grow Redis
// without bound. The append that reaches the limit notes the minute in the cluster's hot
// state ('bfull'), which the heartbeat script reads anyway, and later heartbeats of that
// minute append nothing; a bucket is thus at most one heartbeat's samples (≤ 512 × 99
// bytes) over the limit. A STRLEN before every APPEND did the same for ~1.4 µs of Redis
// per heartbeat, a quarter of what history cost Redis.
export const MAX_BUCKET_BYTES = 64 * 1024;

// addSamples(bucket key, pending key, minutes key, packed samples, arrival ms, cluster id,
// tenant id, bucket TTL, hot state key, the hot state's 'bfull' before this heartbeat).
export const ADD_SAMPLES_LUA = `
local function addSamples(bucket, pending, minutes, packed, now, cid, tid, ttl, hot, full)
  local minute = tostring(math.floor(tonumber(now) / 60000))
  if full == minute then return end
  local n = redis.call('APPEND', bucket, packed)
  if n == #packed then
    redis.call('EXPIRE', bucket, ttl)
    redis.call('SADD', pending, cid .. ' ' .. tid)
    redis.call('ZADD', minutes, minute, minute)
  end
  if n >= ${MAX_BUCKET_BYTES} then redis.call('HSET', hot, 'bfull', minute) end
end
`;
