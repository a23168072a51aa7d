// Gateway history end to end on real Redis and Postgres: heartbeats through the very
// ingest path agents use, the minute flush, the hour rollup, the series query and
// partition retention (retention.integration.test.ts, in a database of its own).
//
// The minutes used lie in the future, at a random offset: Redis is shared with other
// test runs, whose workers flush every minute closed by the real clock. A future minute
// is flushed only when this test says its time has come.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx, type TenantFixture } from "../../test/fixtures";
import type { AgentPrincipal } from "../platform/agent-principal";
import { recordHeartbeat } from "../clusters/record-heartbeat";
import { db } from "../platform/db/client";
import { redis } from "../platform/redis";
import { saveSlice } from "../slices/save-slice";
import { appendLegacyBucket } from "../../test/gateway-buckets";
import { GRACE_MS, SPREAD_MS, flushMinutes, type FlushMinutesOptions } from "./flush-minutes";
import { LOCK_MS, flushSpoolMinute } from "./flush-spool";
import { MINUTES_KEY, gatewayKeys, minuteOf, minutePendingKey, minuteSpoolKey } from "./keys";
import { addSample, emptyAccumulator, toRollupRow } from "./rollup-math";
import { MAX_CLUSTER_MINUTE_BYTES, sampleSpool } from "./sample-spool";
import { rollupHour } from "./rollup-hours";
import { readLinkSeries } from "./series";
import { DEFAULT_GATEWAY_SETTINGS } from "./settings";

const HOUR = 3_600_000;
let t: TenantFixture;
let other: TenantFixture;
let linkId: string;
let server: AgentPrincipal;
let client: AgentPrincipal;
let seq = 0;
// A whole hour, 20-40 days ahead, so nothing else flushes or rolls it.
const hourStart = (Math.floor(Date.now() / HOUR) + 24 * 20 + Math.floor(Math.random() * 24 * 20)) * HOUR;

const principal = (tenant: TenantFixture, c: { id: string; name: string }): AgentPrincipal => ({
  credentialId: `cred-${rand()}`,
  clusterId: c.id,
  clusterName: c.name,
  tenantId: tenant.id,
  tenantSlug: tenant.slug,
  leaseDurationSeconds: 15,
});
const heartbeat = (agent: AgentPrincipal, at: number, gateways: unknown[]) =>
  recordHeartbeat(
    agent,
    { seq: ++seq, session: `sess-${agent.clusterId}`.slice(0, 60), sentAt: new Date(at).toISOString(), appliedRevision: 0, components: [], gateways },
    { now: at },
  );

// What the agent API's spool holds goes to Redis first (it pushes every second on its own).
async function flush(opts: FlushMinutesOptions) {
  await sampleSpool().flush();
  return flushMinutes(opts);
}

beforeAll(async () => {
  t = await makeTenant("gwhist");
  other = await makeTenant("gwhist-other");
  const a = await makeCluster(t.id, { siteType: "EDGE" });
  const b = await makeCluster(t.id);
  const s = await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: `s-${rand()}`, subnet: "10.77.0.0/16", members: [a.name, b.name] } });
  const link = await db().gatewayLink.findFirstOrThrow({ where: { sliceId: s.id } });
  linkId = link.id;
  server = principal(t, link.serverClusterId === a.id ? a : b);
  client = principal(t, link.clientClusterId === a.id ? a : b);
});

describe("gateway history", () => {
  test("samples of simulated agents land in the 1-minute table with the right values, once their minute closes", async () => {
    const m0 = hourStart;
    const serverSamples = [
      { status: "UP", rttMs: 12, lossPct: 0, rxBps: 1000, txBps: 500 },
      { status: "UP", rttMs: 18, lossPct: 1, rxBps: 3000, txBps: 700 },
      { status: "DEGRADED", rttMs: 320, lossPct: 4, rxBps: 2000, txBps: 600 },
      { status: "DOWN", lossPct: 100 },
    ] as const;
    // Each heartbeat carries several samples: the link's between samples of links that are not ours.
    for (const [i, s] of serverSamples.entries())
      await heartbeat(server, m0 + i * 15_000, [
        { linkId: "not-a-link-1", status: "DOWN", rttMs: 999, lossPct: 50 },
        { linkId, ...s },
        { linkId: "not-a-link-2", status: "UP", rttMs: 1 },
      ]);
    // The client end reports the same link; a cluster of another tenant reports it too (with a foreign cluster id it cannot be an end).
    await heartbeat(client, m0 + 1_000, [{ linkId, status: "UP", rttMs: 15 }]);
    const intruder = await makeCluster(other.id);
    await heartbeat(principal(other, intruder), m0 + 2_000, [{ linkId, status: "DOWN", lossPct: 100 }]);
    // A heartbeat in the next minute stays in Redis until that minute closes.
    await heartbeat(server, m0 + 61_000, [{ linkId, status: "UP", rttMs: 11 }]);

    // Not yet closed (within the grace): nothing written.
    await flush({ now: new Date(m0 + 60_000 + GRACE_MS - 1) });
    expect(await db().$queryRaw`SELECT 1 FROM "GatewayRollup1m" WHERE "linkId" = ${linkId}`).toHaveLength(0);

    const res = await flush({ now: new Date(m0 + 60_000 + GRACE_MS) });
    expect(res.rows).toBe(2);
    const rows = await db().$queryRaw<Array<Record<string, unknown>>>`SELECT * FROM "GatewayRollup1m" WHERE "linkId" = ${linkId} ORDER BY "clusterId"`;
    const byCluster = new Map(rows.map((r) => [r.clusterId as string, r]));
    expect([...byCluster.keys()].sort()).toEqual([server.clusterId, client.clusterId].sort());
    const expected = toRollupRow(serverSamples.reduce((acc, s) => addSample(acc, s), emptyAccumulator()));
    const got = byCluster.get(server.clusterId)!;
    expect((got.bucket as Date).getTime()).toBe(m0);
    expect(got).toMatchObject({
      tenantId: t.id,
      samples: 4,
      rttCount: 3,
      rttMin: 12,
      rttMax: 320,
      lossMax: 100,
      lossCount: 4,
      secondsUp: 30,
      secondsDegraded: 15,
      secondsDown: 15,
      secondsUnknown: 0,
    });
    expect(got.rttAvg).toBeCloseTo(expected.rttAvg!, 9);
    expect(got.rttP95).toBeCloseTo(expected.rttP95!, 9);
    expect(got.lossAvg).toBeCloseTo(26.25, 9);
    expect(got.rxAvg).toBeCloseTo(2000, 9);
    expect(got.rttHist).toEqual(expected.rttHist);
    expect(byCluster.get(client.clusterId)).toMatchObject({ samples: 1, rttAvg: 15, secondsUp: 60 });
    // The flushed minute's spool is gone; the open minute's is still there.
    expect(await redis().exists(minuteSpoolKey(m0 / 60_000))).toBe(0);
    expect(await redis().exists(minuteSpoolKey(m0 / 60_000 + 1))).toBe(1);
    expect(await redis().zscore(MINUTES_KEY, String(m0 / 60_000))).toBeNull();
  });

  test("a replayed heartbeat (seq not above the last) adds no sample", async () => {
    const at = hourStart + 5 * 60_000;
    await heartbeat(server, at, [{ linkId, status: "UP", rttMs: 40 }]);
    await recordHeartbeat(
      server,
      {
        seq,
        session: `sess-${server.clusterId}`.slice(0, 60),
        sentAt: new Date(at).toISOString(),
        appliedRevision: 0,
        components: [],
        gateways: [{ linkId, status: "DOWN" }],
      },
      { now: at + 1000 },
    );
    await flush({ now: new Date(at + 60_000 + GRACE_MS) });
    const [row] = await db().$queryRaw<
      Array<{ samples: number; secondsDown: number }>
    >`SELECT "samples", "secondsDown" FROM "GatewayRollup1m" WHERE "linkId" = ${linkId} AND "clusterId" = ${server.clusterId} AND "bucket" = ${new Date(at)}`;
    expect(row).toEqual({ samples: 1, secondsDown: 0 });
  });

  test("an hour rolls up from its minutes; a series query reads minutes for a short range and hours for a long one", async () => {
    await flush({ now: new Date(hourStart + HOUR + GRACE_MS) });
    await rollupHour(new Date(hourStart));
    const [h] = await db().$queryRaw<Array<{ samples: number; rttMin: number; rttMax: number; rttP95: number; secondsUp: number }>>`
      SELECT "samples", "rttMin", "rttMax", "rttP95", "secondsUp"::float8 AS "secondsUp" FROM "GatewayRollup1h" WHERE "linkId" = ${linkId} AND "clusterId" = ${server.clusterId}`;
    // Minutes 0 (4 samples), 1 (1) and 5 (1).
    expect(h).toMatchObject({ samples: 6, rttMin: 11, rttMax: 320 });
    expect(h!.secondsUp).toBeCloseTo(150, 3);

    const now = new Date(hourStart + 2 * HOUR);
    const short = await readLinkSeries({
      tenantId: t.id,
      linkId,
      from: new Date(hourStart),
      to: new Date(hourStart + HOUR),
      now,
      settings: DEFAULT_GATEWAY_SETTINGS,
    });
    expect(short.table).toBe("GatewayRollup1m");
    expect(short.points.filter((p) => p.clusterId === server.clusterId).map((p) => [p.t, p.samples])).toEqual([
      [new Date(hourStart).toISOString(), 4],
      [new Date(hourStart + 60_000).toISOString(), 1],
      [new Date(hourStart + 5 * 60_000).toISOString(), 1],
    ]);
    const long = await readLinkSeries({
      tenantId: t.id,
      linkId,
      from: new Date(now.getTime() - 30 * 24 * HOUR),
      to: now,
      now,
      settings: DEFAULT_GATEWAY_SETTINGS,
    });
    expect(long.table).toBe("GatewayRollup1h");
    expect(long.points.find((p) => p.clusterId === server.clusterId)).toMatchObject({ samples: 6, rttMax: 320 });
    // Another tenant cannot read the link.
    await expect(
      readLinkSeries({ tenantId: other.id, linkId, from: new Date(hourStart), to: now, now, settings: DEFAULT_GATEWAY_SETTINGS }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
  test("buckets of an earlier version's agent API: a big closed minute is written in shares over the spread, and whole once its deadline has passed", async () => {
    // A minute of the next hour, which no other test flushes; five clusters' buckets, two per batch.
    const at = hourStart + HOUR + 10 * 60_000;
    const minute = minuteOf(at);
    const closed = (minute + 1) * 60_000;
    for (let i = 0; i < 5; i++) {
      const c = await makeCluster(t.id);
      await appendLegacyBucket(gatewayKeys(), minute, c.id, t.id, [{ linkId: `lnk-share-${i}`, status: "UP", rttMs: 5 }]);
    }
    expect(await redis().scard(minutePendingKey(minute))).toBe(5);

    // Right after the grace: fifteen runs are left before the deadline, so this one takes its share, never less than a batch.
    await flush({ now: new Date(closed + GRACE_MS), batchSize: 2, intervalMs: 2_000 });
    expect(await redis().scard(minutePendingKey(minute))).toBe(3);
    expect(await redis().zscore(MINUTES_KEY, String(minute))).not.toBeNull();

    // At the deadline the rest goes at once, and the minute is done.
    await flush({ now: new Date(closed + GRACE_MS + SPREAD_MS), batchSize: 2, intervalMs: 2_000 });
    expect(await redis().scard(minutePendingKey(minute))).toBe(0);
    expect(await redis().zscore(MINUTES_KEY, String(minute))).toBeNull();
  });

  test("a minute's spool is summed whole, across chunks, and written in several batches by one run", async () => {
    // Ends of the one real link, spread over three chunks (three pushes), written two rows a batch.
    const at = hourStart + HOUR + 12 * 60_000;
    const minute = minuteOf(at);
    await heartbeat(server, at + 1_000, [{ linkId, status: "UP", rttMs: 10 }]);
    await sampleSpool().flush();
    await heartbeat(client, at + 2_000, [{ linkId, status: "UP", rttMs: 30 }]);
    await sampleSpool().flush();
    await heartbeat(server, at + 3_000, [{ linkId, status: "DOWN", rttMs: 20 }]);
    await sampleSpool().flush();
    expect(await redis().llen(minuteSpoolKey(minute))).toBe(3);

    const res = await flush({ now: new Date((minute + 1) * 60_000 + GRACE_MS + SPREAD_MS), batchSize: 1 });
    expect(res.rows).toBe(2);
    const rows = await db().$queryRaw<Array<{ clusterId: string; samples: number; rttAvg: number; secondsDown: number }>>`
      SELECT "clusterId", "samples", "rttAvg", "secondsDown"::float8 AS "secondsDown" FROM "GatewayRollup1m" WHERE "linkId" = ${linkId} AND "bucket" = ${new Date(minute * 60_000)}`;
    expect(new Map(rows.map((r) => [r.clusterId, r]))).toEqual(
      new Map([
        [server.clusterId, { clusterId: server.clusterId, samples: 2, rttAvg: 15, secondsDown: 30 }],
        [client.clusterId, { clusterId: client.clusterId, samples: 1, rttAvg: 30, secondsDown: 0 }],
      ]),
    );
    expect(await redis().exists(minuteSpoolKey(minute), gatewayKeys().spoolLock(minute))).toBe(0);
    expect(await redis().zscore(MINUTES_KEY, String(minute))).toBeNull();
  });

  test("a minute another worker holds is left to it; when that worker died, the minute is written once its lock expires", async () => {
    const at = hourStart + HOUR + 14 * 60_000;
    const minute = minuteOf(at);
    const lock = gatewayKeys().spoolLock(minute);
    await heartbeat(server, at + 1_000, [{ linkId, status: "UP", rttMs: 40 }]);
    // A worker that took the minute and then died: its lock stays until it expires.
    await redis().set(lock, "a-worker-that-died", "PX", LOCK_MS);
    const closed = new Date((minute + 1) * 60_000 + GRACE_MS);
    expect((await flush({ now: closed })).rows).toBe(0);
    expect(await redis().llen(minuteSpoolKey(minute))).toBe(1);
    expect(await redis().zscore(MINUTES_KEY, String(minute))).not.toBeNull();

    await redis().del(lock); // what its expiry does
    expect((await flush({ now: closed })).rows).toBe(1);
    expect(await redis().get(lock)).toBeNull();
    expect(await redis().zscore(MINUTES_KEY, String(minute))).toBeNull();
  });

  test("a worker that lost the minute's lock mid-way (it was too slow) stops and leaves the minute to the one that took it", async () => {
    const at = hourStart + HOUR + 18 * 60_000;
    const minute = minuteOf(at);
    const keys = gatewayKeys();
    const c = await makeCluster(t.id);
    // Two link ends' rows, one per batch, with ~300 ms left before the deadline: a pause between the batches.
    await heartbeat(principal(t, c), at + 1_000, [{ linkId: "lnk-slow-a", status: "UP" }]);
    await heartbeat(server, at + 2_000, [{ linkId, status: "UP", rttMs: 10 }]);
    await sampleSpool().flush();
    const deadline = (minute + 1) * 60_000 + GRACE_MS + SPREAD_MS;
    const run = flushSpoolMinute(keys, minute, new Date(minute * 60_000), { now: deadline - 300, deadline, batchSize: 1 });
    // Meanwhile its lock expires and another worker takes the minute.
    await expect.poll(async () => redis().get(keys.spoolLock(minute)), { interval: 5 }).not.toBeNull();
    await redis().set(keys.spoolLock(minute), "another-worker", "PX", LOCK_MS);
    await run;
    expect(await redis().llen(keys.spool(minute))).toBe(1);
    expect(await redis().get(keys.spoolLock(minute))).toBe("another-worker");
    await redis().del(keys.spoolLock(minute));
  });

  test("samples pushed after their minute was written (an agent API that could not reach Redis) are written for the ends without a row", async () => {
    const at = hourStart + HOUR + 16 * 60_000;
    const minute = minuteOf(at);
    const closed = new Date((minute + 1) * 60_000 + GRACE_MS);
    await heartbeat(server, at + 1_000, [{ linkId, status: "UP", rttMs: 40 }]);
    expect((await flush({ now: closed })).rows).toBe(1);
    // Late: the client end's sample, and one more of the server end (whose row is written: it stays as it was).
    await heartbeat(client, at + 2_000, [{ linkId, status: "UP", rttMs: 50 }]);
    await heartbeat(server, at + 3_000, [{ linkId, status: "UP", rttMs: 90 }]);
    expect(await redis().zscore(MINUTES_KEY, String(minute))).toBeNull();
    expect((await flush({ now: closed })).rows).toBe(1);
    const rows = await db().$queryRaw<Array<{ clusterId: string; rttAvg: number }>>`
      SELECT "clusterId", "rttAvg" FROM "GatewayRollup1m" WHERE "linkId" = ${linkId} AND "bucket" = ${new Date(minute * 60_000)}`;
    expect(new Map(rows.map((r) => [r.clusterId, r.rttAvg]))).toEqual(
      new Map([
        [server.clusterId, 40],
        [client.clusterId, 50],
      ]),
    );
    expect(await redis().zscore(MINUTES_KEY, String(minute))).toBeNull();
  });

  test("an agent heartbeating far too often fills its minute's share of the spool to the limit, not beyond, and the next minute starts afresh", async () => {
    const c = await makeCluster(t.id);
    const agent = principal(t, c);
    // 400 links a heartbeat: ~19 KB of samples each.
    const gateways = Array.from({ length: 400 }, (_, i) => ({ linkId: `lnk-flood-${i}`, status: "UP", rttMs: 5, lossPct: 0, rxBps: 1, txBps: 1 }));
    const at = hourStart + HOUR + 20 * 60_000;
    const minute = minuteOf(at);
    const spooled = async (m: number) => (await redis().lrangeBuffer(minuteSpoolKey(m), 0, -1)).reduce((n, chunk) => n + chunk.length, 0);
    await heartbeat(agent, at, gateways);
    await sampleSpool().flush();
    const one = await spooled(minute);
    for (let i = 1; i < 8; i++) await heartbeat(agent, at + i * 100, gateways);
    await sampleSpool().flush();
    // Heartbeats are taken until the cluster's minute reaches 64 KB (the one that reaches it included), then none.
    const full = Math.ceil(MAX_CLUSTER_MINUTE_BYTES / one);
    expect(full).toBeLessThan(8);
    expect(await spooled(minute)).toBe(full * one);
    // The next minute takes samples again.
    await heartbeat(agent, at + 60_000, gateways);
    await sampleSpool().flush();
    expect(await spooled(minute + 1)).toBe(one);
  });
});
