// Two deployments sharing one Redis, told apart by their key prefix: the minute flush of
// one takes only its own samples, never the other's. Samples are pushed by the agent API's
// spool (sample-spool.ts) under each prefix's keys; buckets of earlier versions too.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx } from "../../test/fixtures";
import { appendLegacyBucket } from "../../test/gateway-buckets";
import { db } from "../platform/db/client";
import { redis } from "../platform/redis";
import { saveSlice } from "../slices/save-slice";
import { GRACE_MS, flushMinutes } from "./flush-minutes";
import { gatewayKeys } from "./keys";
import { SampleSpool, spoolPusher } from "./sample-spool";

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

async function spool(keys: ReturnType<typeof gatewayKeys>, sample: { rttMs: number }) {
  const s = new SampleSpool(spoolPusher(keys));
  s.add(clusterId, tenantId, [{ linkId, status: "UP", ...sample }], minute * 60_000 + 1_000);
  await s.close();
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

describe("gateway minute samples under a deployment's key prefix", () => {
  test("a flush under one prefix takes only that prefix's samples; the other deployment's stay for its own flush", async () => {
    await spool(A, { rttMs: 10 });
    await spool(A, { rttMs: 20 });
    await spool(B, { rttMs: 500 });
    // And a bucket an agent API of an earlier version appended to, under B.
    await appendLegacyBucket(B, minute, clusterId, tenantId, [{ linkId, status: "UP", rttMs: 700 }]);
    const closed = new Date((minute + 1) * 60_000 + GRACE_MS);

    const a = await flushMinutes({ now: closed, prefix: PREFIX_A });
    expect(a.rows).toBe(1);
    expect(await rows()).toEqual([{ samples: 2, rttAvg: 15 }]);
    // B's spool, bucket, pending set and minute are untouched.
    expect(await redis().llen(B.spool(minute))).toBe(1);
    expect(await redis().smembers(B.pending(minute))).toEqual([`${clusterId} ${tenantId}`]);
    expect(await redis().zscore(B.minutes, String(minute))).toBe(String(minute));
    expect(await redis().exists(A.spool(minute), A.pending(minute), A.spoolLock(minute))).toBe(0);
    expect(await redis().zscore(A.minutes, String(minute))).toBeNull();

    // A flush under the default prefix sees neither.
    await flushMinutes({ now: closed });
    expect(await redis().exists(B.spool(minute), B.bucket(minute, clusterId))).toBe(2);

    // B's own flush finds both (the row exists already from A: the first write of a key wins).
    await flushMinutes({ now: closed, prefix: PREFIX_B });
    expect(await redis().exists(B.spool(minute), B.bucket(minute, clusterId), B.pending(minute))).toBe(0);
    expect(await redis().zscore(B.minutes, String(minute))).toBeNull();
  });
});
