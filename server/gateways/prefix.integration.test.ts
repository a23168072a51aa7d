// Two deployments sharing one Redis, told apart by their key prefix: the minute flush of
// one takes only its own buckets, never the other's. Samples are appended by the very
// Lua the heartbeat script runs (add-samples-lua.ts), under each prefix's keys.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx } from "../../test/fixtures";
import { db } from "../platform/db/client";
import { redis } from "../platform/redis";
import { saveSlice } from "../slices/save-slice";
import { ADD_SAMPLES_LUA } from "./add-samples-lua";
import { GRACE_MS, flushMinutes } from "./flush-minutes";
import { BUCKET_TTL_SECONDS, gatewayKeys } from "./keys";
import { encodeSamples } from "./sample-codec";

// KEYS[4] stands for the cluster's hot state, where the script notes a full bucket.
const APPEND = `${ADD_SAMPLES_LUA}\naddSamples(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], KEYS[4], redis.call('HGET', KEYS[4], 'bfull'))\nreturn 1`;
const tag = randomBytes(4).toString("hex");
const PREFIX_A = `{isthmus-test-${tag}-a}`;
const PREFIX_B = `{isthmus-test-${tag}-b}`;
const A = gatewayKeys(PREFIX_A);
const B = gatewayKeys(PREFIX_B);
// A minute 10-20 days ahead: no running worker flushes it.
const minute = Math.floor(Date.now() / 60_000) + 14_400 + Math.floor(Math.random() * 14_400);

let tenantId: string;
let linkId: string;
let clusterId: string;

async function append(keys: ReturnType<typeof gatewayKeys>, sample: { rttMs: number }) {
  const packed = encodeSamples([{ linkId, status: "UP", ...sample }]);
  await redis().eval(
    APPEND,
    4,
    keys.bucket(minute, clusterId),
    keys.pending(minute),
    keys.minutes,
    `${keys.minutes}:hot-test:${clusterId}`,
    packed,
    String(minute * 60_000 + 1_000),
    clusterId,
    tenantId,
    String(BUCKET_TTL_SECONDS),
  );
}

const rows = () =>
  db().$queryRaw<
    Array<{ samples: number; rttAvg: number }>
  >`SELECT "samples", "rttAvg" FROM "GatewayRollup1m" WHERE "linkId" = ${linkId} AND "bucket" = ${new Date(minute * 60_000)}`;

beforeAll(async () => {
  const t = await makeTenant("gwprefix");
  const a = await makeCluster(t.id);
  const b = await makeCluster(t.id);
  const s = await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: `s-${rand()}`, subnet: "192.168.64.0/18", members: [a.name, b.name] } });
  const link = await db().gatewayLink.findFirstOrThrow({ where: { sliceId: s.id } });
  tenantId = t.id;
  linkId = link.id;
  clusterId = link.serverClusterId;
});

describe("gateway minute buckets under a deployment's key prefix", () => {
  test("a flush under one prefix takes only that prefix's buckets; the other deployment's stay for its own flush", async () => {
    await append(A, { rttMs: 10 });
    await append(A, { rttMs: 20 });
    await append(B, { rttMs: 500 });
    const closed = new Date((minute + 1) * 60_000 + GRACE_MS);

    const a = await flushMinutes({ now: closed, prefix: PREFIX_A });
    expect(a.rows).toBe(1);
    expect(await rows()).toEqual([{ samples: 2, rttAvg: 15 }]);
    // B's bucket, pending set and minute are untouched.
    expect(await redis().getBuffer(B.bucket(minute, clusterId))).toEqual(encodeSamples([{ linkId, status: "UP", rttMs: 500 }]));
    expect(await redis().smembers(B.pending(minute))).toEqual([`${clusterId} ${tenantId}`]);
    expect(await redis().zscore(B.minutes, String(minute))).toBe(String(minute));
    expect(await redis().exists(A.bucket(minute, clusterId), A.pending(minute))).toBe(0);
    expect(await redis().zscore(A.minutes, String(minute))).toBeNull();

    // A flush under the default prefix sees neither.
    await flushMinutes({ now: closed });
    expect(await redis().exists(B.bucket(minute, clusterId))).toBe(1);

    // B's own flush finds its bucket (the row exists already from A: the first write of a key wins).
    await flushMinutes({ now: closed, prefix: PREFIX_B });
    expect(await redis().exists(B.bucket(minute, clusterId), B.pending(minute))).toBe(0);
    expect(await redis().zscore(B.minutes, String(minute))).toBeNull();
  });
});
