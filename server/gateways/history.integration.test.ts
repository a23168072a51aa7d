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
import { MAX_BUCKET_BYTES } from "./add-samples-lua";
import { GRACE_MS, SPREAD_MS, flushMinutes } from "./flush-minutes";
import { MINUTES_KEY, minuteBucketKey, minuteOf, minutePendingKey } from "./keys";
import { addSample, emptyAccumulator, toRollupRow } from "./rollup-math";
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
    await flushMinutes({ now: new Date(m0 + 60_000 + GRACE_MS - 1) });
    expect(await db().$queryRaw`SELECT 1 FROM "GatewayRollup1m" WHERE "linkId" = ${linkId}`).toHaveLength(0);

    const res = await flushMinutes({ now: new Date(m0 + 60_000 + GRACE_MS) });
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
    // The flushed buckets are gone; the open minute's is still there.
    expect(await redis().exists(minuteBucketKey(m0 / 60_000, server.clusterId))).toBe(0);
    expect(await redis().exists(minuteBucketKey(m0 / 60_000 + 1, server.clusterId))).toBe(1);
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
    await flushMinutes({ now: new Date(at + 60_000 + GRACE_MS) });
    const [row] = await db().$queryRaw<
      Array<{ samples: number; secondsDown: number }>
    >`SELECT "samples", "secondsDown" FROM "GatewayRollup1m" WHERE "linkId" = ${linkId} AND "clusterId" = ${server.clusterId} AND "bucket" = ${new Date(at)}`;
    expect(row).toEqual({ samples: 1, secondsDown: 0 });
  });

  test("an hour rolls up from its minutes; a series query reads minutes for a short range and hours for a long one", async () => {
    await flushMinutes({ now: new Date(hourStart + HOUR + GRACE_MS) });
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
  test("a big closed minute is written in shares over the spread, and whole once its deadline has passed", async () => {
    // A minute of the next hour, which no other test flushes; five clusters' buckets, two per batch.
    const at = hourStart + HOUR + 10 * 60_000;
    const minute = minuteOf(at);
    const closed = (minute + 1) * 60_000;
    for (let i = 0; i < 5; i++) {
      const c = await makeCluster(t.id);
      await heartbeat(principal(t, c), at + i * 1000, [{ linkId: `lnk-share-${i}`, status: "UP", rttMs: 5 }]);
    }
    expect(await redis().scard(minutePendingKey(minute))).toBe(5);

    // Right after the grace: fifteen runs are left before the deadline, so this one takes its share, never less than a batch.
    await flushMinutes({ now: new Date(closed + GRACE_MS), batchSize: 2, intervalMs: 2_000 });
    expect(await redis().scard(minutePendingKey(minute))).toBe(3);
    expect(await redis().zscore(MINUTES_KEY, String(minute))).not.toBeNull();

    // At the deadline the rest goes at once, and the minute is done.
    await flushMinutes({ now: new Date(closed + GRACE_MS + SPREAD_MS), batchSize: 2, intervalMs: 2_000 });
    expect(await redis().scard(minutePendingKey(minute))).toBe(0);
    expect(await redis().zscore(MINUTES_KEY, String(minute))).toBeNull();
  });

  test("an agent heartbeating far too often fills its minute's bucket to the limit, not beyond, and the next minute starts afresh", async () => {
    const c = await makeCluster(t.id);
    const agent = principal(t, c);
    // 400 links a heartbeat: ~19 KB of samples each.
    const gateways = Array.from({ length: 400 }, (_, i) => ({ linkId: `lnk-flood-${i}`, status: "UP", rttMs: 5, lossPct: 0, rxBps: 1, txBps: 1 }));
    const at = hourStart + HOUR + 20 * 60_000;
    const minute = minuteOf(at);
    const sizes: number[] = [];
    for (let i = 0; i < 8; i++) {
      await heartbeat(agent, at + i * 100, gateways);
      sizes.push(await redis().strlen(minuteBucketKey(minute, c.id)));
    }
    const one = sizes[0]!;
    // Appends go on until the bucket reaches 64 KB (the one that reaches it included), then stop.
    const full = Math.ceil(MAX_BUCKET_BYTES / one);
    expect(full).toBeLessThan(8);
    expect(sizes).toEqual(sizes.map((_, i) => Math.min(i + 1, full) * one));
    // The next minute's bucket takes samples again.
    await heartbeat(agent, at + 60_000, gateways);
    expect(await redis().strlen(minuteBucketKey(minute + 1, c.id))).toBe(one);
  });
});
