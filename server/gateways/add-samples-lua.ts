// Lua, spliced into the heartbeat script (clusters/record-heartbeat.ts): adds one
// accepted heartbeat's gateway samples to its cluster's bucket for the minute it arrived
// in. History therefore costs no Postgres write per sample or per heartbeat, and no
// extra round trip: the heartbeat's one script call does it.
//
// Why in Redis and not in the agent API's memory: a bucket per link end held in the
// agent API's heap for a minute would survive the young-generation scavenges and be
// promoted (the very garbage the heartbeat path was tuned to avoid), would need a
// hand-off that survives that process dying mid-minute, and would split one link end's
// minute across agent API replicas. In Redis, every replica adds to the same bucket.
//
// Cost per heartbeat in steady state: one HMGET and one HSET of the cluster's bucket
// (all its links at once). The first heartbeat of a cluster in a minute also sets the
// bucket's TTL and records it as pending (SADD) and the minute as having buckets (ZADD).
// The accumulator layout is rollup-math.ts's (ACC_FIELDS, then the histogram).
import { HIST_BUCKETS } from "./rollup-math";

export const ADD_SAMPLES_LUA = `
local function addSamples(bucket, pending, minutes, packed, now, cid, tid, ttl)
  -- Every field stops at a space or ';' (a sample's last field is followed by the next sample).
  local links, rows = {}, {}
  for link, s, b, rtt, loss, rx, tx in string.gmatch(packed, '([^ ;]+) (%d) ([^ ;]+) ([^ ;]+) ([^ ;]+) ([^ ;]+) ([^ ;]+)') do
    links[#links + 1] = link
    rows[#rows + 1] = { tonumber(s), tonumber(b), tonumber(rtt), tonumber(loss), tonumber(rx), tonumber(tx) }
  end
  if #links == 0 then return end
  local prev = redis.call('HMGET', bucket, unpack(links))
  local isNew = true
  local hset = {}
  for j = 1, #links do
    local v = {}
    if prev[j] then
      isNew = false
      for x in string.gmatch(prev[j], '%S+') do v[#v + 1] = tonumber(x) end
    else
      v = { 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0 }
      for h = 1, ${HIST_BUCKETS} do v[16 + h] = 0 end
    end
    local r = rows[j]
    v[1] = v[1] + 1
    v[2 + r[1]] = v[2 + r[1]] + 1
    if r[3] then
      v[6] = v[6] + 1
      v[7] = v[7] + r[3]
      if v[8] < 0 or r[3] < v[8] then v[8] = r[3] end
      if r[3] > v[9] then v[9] = r[3] end
      v[16 + r[2]] = v[16 + r[2]] + 1
    end
    if r[4] then
      v[10] = v[10] + 1
      v[11] = v[11] + r[4]
      if r[4] > v[12] then v[12] = r[4] end
    end
    if r[5] then v[13] = v[13] + 1; v[14] = v[14] + r[5] end
    if r[6] then v[15] = v[15] + 1; v[16] = v[16] + r[6] end
    hset[#hset + 1] = links[j]
    -- table.concat prints numbers with 14 significant digits: plenty for sums of RTT,
    -- loss and byte rates over a minute.
    hset[#hset + 1] = table.concat(v, ' ')
  end
  redis.call('HSET', bucket, unpack(hset))
  if isNew then
    local minute = math.floor(tonumber(now) / 60000)
    redis.call('EXPIRE', bucket, ttl)
    redis.call('SADD', pending, cid .. ' ' .. tid)
    redis.call('ZADD', minutes, minute, minute)
  end
end
`;
