// Heartbeats, leases, deletion and the HTTP edge of the agent API. Time is moved by
// passing `now` to evaluateLeases, never by sleeping.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MAX_SEQ_JUMP } from "../../protocol/index";
import { makeTenant, tenantCtx, type TenantFixture } from "../../test/fixtures";
import { deleteCluster } from "../clusters/delete-cluster";
import { evaluateLeases } from "../clusters/evaluate-leases";
import { flushClusterState } from "../clusters/flush-cluster-state";
import { readHotState } from "../hot-state/hot-state";
import { DIRTY_CLUSTERS_KEY } from "../clusters/keys";
import { hotStateKey } from "../hot-state/keys";
import { recordHeartbeat } from "../clusters/record-heartbeat";
import { makeCluster } from "../../test/clusters";
import { latestRevisionKey } from "../config/keys";
import { publishRevision } from "../config/publish-revision";
import { db } from "../platform/db/client";
import { redis } from "../platform/redis";
import { linkStatuses } from "../gateways/link-health";
import { enrol, heartbeat, startTestApi, type TestApi } from "./test-helpers";

let api: TestApi;
let a: TenantFixture;

beforeAll(async () => {
  a = await makeTenant("hb");
  api = await startTestApi();
});
afterAll(() => api.api.close());

const beat = (credential: string, body: unknown) => api.call("POST", "/heartbeat", { credential, body });
const row = (id: string) => db().cluster.findUniqueOrThrow({ where: { id } });
/** Flush, then wait until Postgres shows it (another test file's flush may hold the batch). */
async function flushUntil(id: string, ok: (c: Awaited<ReturnType<typeof row>>) => boolean) {
  await flushClusterState();
  await expect.poll(async () => ok(await row(id)), { timeout: 10_000, interval: 50 }).toBe(true);
}

describe("heartbeats", () => {
  test("answer with the desired revision and lease, and reach Postgres through the flusher", async () => {
    const { clusterId, credential } = await enrol(api, a);
    // Non-ASCII text in the components and the inventory: both travel to Redis in one argument, split by byte length.
    const components = [{ name: "agent", status: "DEGRADED" as const, message: "Zürich – 2 nodes" }];
    const res = await beat(credential, heartbeat(100, { components, inventory: { nodeCount: 9, agentVersion: "0.2.0", cni: "calico-ü" } }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ desiredRevision: 1, leaseDurationSeconds: 15, serverTime: expect.any(String) });
    expect(Math.abs(Date.parse(body.serverTime) - Date.now())).toBeLessThan(60_000);
    await flushUntil(clusterId, (c) => c.lastHeartbeatSeq === 100n);
    expect(await row(clusterId)).toMatchObject({ nodeCount: 9, agentVersion: "0.2.0", cni: "calico-ü", components });

    // A new revision shows in the next answer; a lost cache is refilled from Postgres.
    await publishRevision(a.id, clusterId, { cluster: { id: clusterId, name: "x", tenant: a.slug }, slices: [], manifests: [] });
    expect((await (await beat(credential, heartbeat(101))).json()).desiredRevision).toBe(2);
    await redis().del(latestRevisionKey(clusterId));
    expect((await (await beat(credential, heartbeat(102))).json()).desiredRevision).toBe(2);
  });

  test("a seq not above the last accepted one is answered but changes nothing", async () => {
    const { clusterId, credential } = await enrol(api, a);
    const linkId = `link-${clusterId}`;
    const link = { id: linkId, serverClusterId: clusterId, clientClusterId: "peer-not-enrolled" };
    expect((await beat(credential, heartbeat(500, { gateways: [{ linkId, status: "UP", rttMs: 8 }] }))).status).toBe(200);
    expect((await linkStatuses([link])).get(linkId)).toMatchObject({ status: "UP", rttMs: 8 });
    // A cluster that is not an end of the link (here: another tenant's) cannot move it.
    const intruder = await enrol(api, await makeTenant("hb-intruder"));
    expect((await beat(intruder.credential, heartbeat(1, { gateways: [{ linkId, status: "DOWN", rttMs: 999 }] }))).status).toBe(200);
    expect((await linkStatuses([link])).get(linkId)).toMatchObject({ status: "UP", rttMs: 8 });
    await flushUntil(clusterId, (c) => c.lastHeartbeatSeq === 500n);
    const hotBefore = await readHotState(clusterId);
    const pgBefore = await row(clusterId);

    const failed = { components: [{ name: "agent", status: "FAILED" as const }], gateways: [{ linkId, status: "DOWN" as const }] };
    for (const seq of [499, 500]) {
      const res = await beat(credential, heartbeat(seq, failed));
      expect(res.status).toBe(200);
      expect((await res.json()).desiredRevision).toBe(1);
    }
    expect(await readHotState(clusterId)).toEqual(hotBefore);
    expect((await linkStatuses([link])).get(linkId)!.status).toBe("UP");
    await flushClusterState();
    const pgAfter = await row(clusterId);
    expect(pgAfter.lastHeartbeatSeq).toBe(500n);
    expect(pgAfter.lastSeenAt).toEqual(pgBefore.lastSeenAt);
    expect(pgAfter.components).toEqual([{ name: "agent", status: "OK" }]);

    // The largest seq the protocol allows still travels (and compares) as a number (a new
    // session may start its sequence anywhere).
    const top = Number.MAX_SAFE_INTEGER;
    expect((await beat(credential, heartbeat(top, { session: "top-session" }))).status).toBe(200);
    expect((await readHotState(clusterId))?.seq).toBe(top);
    expect((await beat(credential, heartbeat(top - 1, { ...failed, session: "top-session" }))).status).toBe(200);
    expect((await readHotState(clusterId))?.seq).toBe(top);
  });

  test("a seq far ahead is refused with a 409 naming seq, and later real heartbeats still count", async () => {
    const { clusterId, credential } = await enrol(api, a);
    const session = "agent-start-one";
    expect((await beat(credential, heartbeat(1000, { session }))).status).toBe(200);
    // One heartbeat from the future (a bug, a replay with a forged seq): refused, not stored.
    const future = await beat(credential, heartbeat(1000 + MAX_SEQ_JUMP + 1, { session, components: [{ name: "agent", status: "FAILED" }] }));
    expect(future.status).toBe(409);
    expect(await future.json()).toEqual({ error: { code: "SEQ_OUT_OF_RANGE", message: expect.stringMatching(/^seq \d+ is more than/) } });
    expect((await readHotState(clusterId))!.seq).toBe(1000);
    // The agent's next real heartbeat is accepted and moves the state.
    expect((await beat(credential, heartbeat(1001, { session, components: [{ name: "agent", status: "DEGRADED" }] }))).status).toBe(200);
    expect(await readHotState(clusterId)).toMatchObject({ seq: 1001, components: [{ name: "agent", status: "DEGRADED" }] });
    // Without a session (older agents, seq from their clock in ms): a day ahead of the clock at most.
    expect((await beat(credential, heartbeat(Date.now() + 2 * 24 * 3600 * 1000))).status).toBe(409);
    expect((await readHotState(clusterId))!.seq).toBe(1001);
  });

  test("a link an end reports with no data plane is UNKNOWN, with endpoint reachability apart", async () => {
    const { clusterId, credential } = await enrol(api, a);
    const linkId = `link-ndp-${clusterId}`;
    const gateways = [{ linkId, status: "UNKNOWN" as const, reason: "no data plane", endpointReachable: true }];
    expect((await beat(credential, heartbeat(1, { gateways }))).status).toBe(200);
    const link = { id: linkId, serverClusterId: "peer-not-enrolled", clientClusterId: clusterId };
    expect((await linkStatuses([link])).get(linkId)).toMatchObject({ status: "UNKNOWN", reason: "no data plane", endpointReachable: true });
  });

  test("a restarted agent (new session, seq from 0) is accepted, and its new sequence counts", async () => {
    const { clusterId, credential } = await enrol(api, a);
    expect((await beat(credential, heartbeat(Date.now(), { session: "first-session" }))).status).toBe(200);
    const restarted = { session: "second-session", components: [{ name: "agent", status: "DEGRADED" as const }] };
    expect((await beat(credential, heartbeat(0, restarted))).status).toBe(200);
    expect(await readHotState(clusterId)).toMatchObject({ seq: 0, components: restarted.components });
    expect((await beat(credential, heartbeat(1, { session: "second-session" }))).status).toBe(200);
    expect((await readHotState(clusterId))!.seq).toBe(1);
    // Postgres keeps the session and the new sequence (a lower seq than before), written by the flush.
    await flushUntil(clusterId, (c) => c.agentSession === "second-session" && c.lastHeartbeatSeq === 1n);
  });

  test("heartbeats arriving together are each answered for their own cluster, in seq order per cluster", async () => {
    const [x, y] = await Promise.all([enrol(api, a), enrol(api, a)]);
    await publishRevision(a.id, y.clusterId, { cluster: { id: y.clusterId, name: "y", tenant: a.slug }, slices: [], manifests: [] });
    const agentOf = (clusterId: string) => ({
      credentialId: "c",
      clusterId,
      clusterName: clusterId,
      tenantId: a.id,
      tenantSlug: a.slug,
      leaseDurationSeconds: 15,
    });
    const gw = (linkId: string) => ({ gateways: [{ linkId, status: "UP" as const, rttMs: 3 }] });
    // Started together (one turn of the event loop), so they share one script call.
    const results = await Promise.all([
      recordHeartbeat(agentOf(x.clusterId), heartbeat(7, gw("x7"))),
      recordHeartbeat(agentOf(x.clusterId), heartbeat(6, gw("x6"))),
      recordHeartbeat(agentOf(y.clusterId), heartbeat(1, gw("y1"))),
      recordHeartbeat(agentOf(x.clusterId), heartbeat(8, gw("x8"))),
    ]);
    expect(results.map((r) => [r.accepted, r.desiredRevision])).toEqual([
      [true, 1],
      [false, 1],
      [true, 2],
      [true, 1],
    ]);
    expect((await readHotState(x.clusterId))?.gateways).toEqual([{ linkId: "x8", status: "UP", rttMs: 3 }]);
    expect((await readHotState(x.clusterId))?.seq).toBe(8);
    expect((await readHotState(y.clusterId))?.gateways).toEqual([{ linkId: "y1", status: "UP", rttMs: 3 }]);
  });

  test("an unchanged heartbeat soon after the last stays in Redis; a change, or the persist interval passing, reaches Postgres", async () => {
    const { clusterId, credential } = await enrol(api, a);
    const marked = () => redis().hget(hotStateKey(clusterId), "marked");
    await beat(credential, heartbeat(1));
    await flushUntil(clusterId, (c) => c.lastHeartbeatSeq === 1n);
    const first = await marked();
    expect(first).not.toBeNull();
    // The TTL is set when the cluster is marked, so a silent cluster's hot state expires.
    expect(await redis().ttl(hotStateKey(clusterId))).toBeGreaterThan(3600);

    // Nothing Postgres keeps changed: the hot state moves, the cluster is not marked dirty.
    await beat(credential, heartbeat(2));
    expect((await readHotState(clusterId))?.seq).toBe(2);
    expect(await marked()).toBe(first);
    expect(await redis().sismember(DIRTY_CLUSTERS_KEY, clusterId)).toBe(0);
    await flushClusterState();
    expect((await row(clusterId)).lastHeartbeatSeq).toBe(1n);

    // Each thing Postgres keeps, changed, is written at once.
    await beat(credential, heartbeat(3, { components: [{ name: "agent", status: "FAILED", message: "crash loop" }] }));
    await flushUntil(clusterId, (c) => c.lastHeartbeatSeq === 3n);
    expect((await row(clusterId)).components).toEqual([{ name: "agent", status: "FAILED", message: "crash loop" }]);
    await beat(credential, heartbeat(4, { components: [{ name: "agent", status: "FAILED", message: "crash loop" }], appliedRevision: 1 }));
    await flushUntil(clusterId, (c) => c.lastHeartbeatSeq === 4n);
    await beat(
      credential,
      heartbeat(5, { components: [{ name: "agent", status: "FAILED", message: "crash loop" }], appliedRevision: 1, inventory: { nodeCount: 12 } }),
    );
    await flushUntil(clusterId, (c) => c.lastHeartbeatSeq === 5n && c.nodeCount === 12);

    // Unchanged, and the last mark under two thirds of a lease old (the persist interval is
    // a lease less up to a third at random): not marked. A whole lease old: last-seen is written.
    const lease = (await row(clusterId)).leaseDurationSeconds;
    await redis().hset(hotStateKey(clusterId), "marked", String(Date.now() - lease * 600));
    await beat(credential, heartbeat(6, { components: [{ name: "agent", status: "FAILED", message: "crash loop" }], appliedRevision: 1 }));
    expect(await redis().sismember(DIRTY_CLUSTERS_KEY, clusterId)).toBe(0);
    await redis().hset(hotStateKey(clusterId), "marked", String(Date.now() - lease * 1000));
    await beat(credential, heartbeat(7, { components: [{ name: "agent", status: "FAILED", message: "crash loop" }], appliedRevision: 1 }));
    await flushUntil(clusterId, (c) => c.lastHeartbeatSeq === 7n);
    expect((await readHotState(clusterId))?.lastSeenAt).toEqual((await row(clusterId)).lastSeenAt);
  });

  test("the body is kept as it came, unless padding makes it long", async () => {
    const { clusterId, credential } = await enrol(api, a);
    const sample = { linkId: "l-1", status: "DEGRADED", rttMs: 41.5, lossPct: 2 };
    const raw = `{ "seq": 3, "sentAt": "${new Date().toISOString()}", "appliedRevision": 0, "components": [], "gateways": [${JSON.stringify(sample)}] }`;
    expect((await api.call("POST", "/heartbeat", { credential, raw })).status).toBe(200);
    expect(await redis().hget(hotStateKey(clusterId), "hb")).toBe(raw);
    expect((await readHotState(clusterId))?.gateways).toEqual([sample]);

    const padded = raw.replace('"seq": 3', '"seq": 4' + " ".repeat(64 * 1024));
    expect((await api.call("POST", "/heartbeat", { credential, raw: padded })).status).toBe(200);
    const stored = (await redis().hget(hotStateKey(clusterId), "hb"))!;
    expect(stored.length).toBeLessThan(1024);
    expect(JSON.parse(stored)).toEqual(JSON.parse(padded));
  });

  test("text PostgreSQL cannot store is 400 naming the field, and the flush of the others goes on", async () => {
    const bad = await enrol(api, a);
    const good = await enrol(api, a);
    for (const message of ["nul \u0000 inside", "lone \ud800 surrogate"]) {
      const res = await beat(bad.credential, heartbeat(1, { components: [{ name: "agent", status: "DEGRADED", message }] }));
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/^components\.0\.message: must not contain NUL or unpaired surrogate characters/);
    }
    expect((await beat(good.credential, heartbeat(1, { components: [{ name: "agent", status: "DEGRADED", message: "fine \ud83d\ude00" }] }))).status).toBe(200);
    await flushUntil(good.clusterId, (c) => c.lastHeartbeatSeq === 1n);
    expect((await row(good.clusterId)).components).toEqual([{ name: "agent", status: "DEGRADED", message: "fine \ud83d\ude00" }]);
    expect((await row(bad.clusterId)).lastHeartbeatSeq).toBe(-1n);
  });

  test("a hot state that is not JSON is left out, and the rest of its batch still reaches Postgres", async () => {
    const broken = await enrol(api, a);
    const good = await enrol(api, a);
    // Unreadable hot state, as a bug or a hand edit in Redis would leave it.
    await redis().hset(hotStateKey(broken.clusterId), { tenantId: a.id, seq: "7", lastSeen: String(Date.now()), components: '[{"name":' });
    await redis().expire(hotStateKey(broken.clusterId), 600);
    await redis().sadd(DIRTY_CLUSTERS_KEY, broken.clusterId);
    expect((await beat(good.credential, heartbeat(7))).status).toBe(200);
    await flushUntil(good.clusterId, (c) => c.lastHeartbeatSeq === 7n);
    expect(await redis().sismember(DIRTY_CLUSTERS_KEY, broken.clusterId)).toBe(0);
    expect((await row(broken.clusterId)).lastHeartbeatSeq).toBe(-1n);
  });

  test("bad input is 400 naming the field; no or bad credential is 401", async () => {
    const { credential } = await enrol(api, a);
    const res = await beat(credential, { ...heartbeat(1), seq: -4 });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "BAD_REQUEST", message: expect.stringContaining("seq") } });
    const notJson = await api.call("POST", "/heartbeat", { credential, raw: "{oops" });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.message).toMatch(/JSON/);
    for (const cred of [undefined, "isa_nope", credential.slice(0, -2) + "xx"]) {
      const r = await beat(cred as string, heartbeat(2));
      expect(r.status).toBe(401);
      expect((await r.json()).error.code).toBe("UNAUTHORIZED");
    }
  });
});

describe("leases", () => {
  test("no heartbeat for 3 leases: UNKNOWN with a warning; a heartbeat brings it back, with one event", async () => {
    const { clusterId, credential } = await enrol(api, a);
    await beat(credential, heartbeat(1));
    await flushUntil(clusterId, (c) => c.lastHeartbeatSeq === 1n);

    expect((await evaluateLeases(new Date(Date.now() + 20_000), { tenantId: a.id })).unknown).not.toContain(clusterId);
    const later = await evaluateLeases(new Date(Date.now() + 46_000), { tenantId: a.id });
    expect(later.unknown).toContain(clusterId);
    expect((await row(clusterId)).availability).toBe("UNKNOWN");
    const unknown = await db().event.findMany({ where: { clusterId, type: "cluster.unknown" } });
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.severity).toBe("WARNING");
    expect(await db().auditLog.count({ where: { tenantId: a.id, targetId: clusterId, action: "cluster.availability", actorType: "SYSTEM" } })).toBe(1);

    await beat(credential, heartbeat(2));
    await flushUntil(clusterId, (c) => c.availability === "AVAILABLE");
    // A later heartbeat that reaches Postgres (its components changed) adds no event.
    await beat(credential, heartbeat(3, { components: [{ name: "agent", status: "DEGRADED" }] }));
    await flushUntil(clusterId, (c) => c.lastHeartbeatSeq === 3n);
    const back = await db().event.findMany({ where: { clusterId, type: "cluster.available" } });
    // One from enrolment, one from the recovery.
    expect(back).toHaveLength(2);
    expect(back.map((e) => (e.data as { from: string }).from).sort()).toEqual(["PENDING", "UNKNOWN"]);
  });

  test("Redis is fresher than Postgres: a cluster heartbeating now is not marked", async () => {
    const { clusterId, credential } = await enrol(api, a);
    await db().cluster.update({ where: { id: clusterId }, data: { lastSeenAt: new Date(Date.now() - 3600_000) } });
    await beat(credential, heartbeat(1));
    expect((await evaluateLeases(new Date(), { tenantId: a.id })).unknown).not.toContain(clusterId);
    expect((await row(clusterId)).availability).toBe("AVAILABLE");
  });
});

describe("a fleet changing at once", () => {
  test("a whole tenant's leases expire in one run, and come back in one flush, each with its event and audit row", async () => {
    const t = await makeTenant("hb-fleet");
    const ids = (await Promise.all(Array.from({ length: 300 }, () => makeCluster(t.id)))).map((c) => c.id);
    // Hot state marked recently, as a cluster that heartbeated within its lease before going silent.
    for (const id of ids) await redis().hset(hotStateKey(id), "marked", String(Date.now()));
    // Three transactions of at most 128: all are marked, and every mark is cleared, so each
    // cluster's next heartbeat reaches Postgres.
    const marked = await evaluateLeases(new Date(Date.now() + 60_000), { tenantId: t.id, limit: 1000, chunkSize: 128 });
    expect(marked.unknown.sort()).toEqual([...ids].sort());
    expect((await Promise.all(ids.map((id) => redis().hexists(hotStateKey(id), "marked")))).every((x) => x === 0)).toBe(true);
    const count = (action: string, to: string) =>
      db().auditLog.count({ where: { tenantId: t.id, action, diff: { path: ["availability", "to"], equals: to } } });
    expect(await count("cluster.availability", "UNKNOWN")).toBe(300);

    const now = Date.now();
    for (const id of ids) {
      const agent = { credentialId: "c", clusterId: id, clusterName: id, tenantId: t.id, tenantSlug: t.slug, leaseDurationSeconds: 15 };
      await recordHeartbeat(agent, heartbeat(1), { now });
    }
    await flushClusterState({ batchSize: 500 });
    await expect.poll(() => db().cluster.count({ where: { tenantId: t.id, availability: "AVAILABLE" } }), { timeout: 10_000 }).toBe(300);
    expect(await count("cluster.availability", "AVAILABLE")).toBe(300);
    expect(await db().event.count({ where: { tenantId: t.id, type: "cluster.available" } })).toBe(300);
  });
});

describe("deletion and the HTTP edge", () => {
  test("a deleted cluster's credential is refused at its next call", async () => {
    const { clusterId, credential } = await enrol(api, a);
    expect((await beat(credential, heartbeat(1))).status).toBe(200); // now cached
    await deleteCluster(tenantCtx(a), clusterId);
    const res = await beat(credential, heartbeat(2));
    expect(res.status).toBe(401);
    expect((await api.call("GET", "/config?after=0", { credential })).status).toBe(401);
  });

  test("a body over 1 MiB is 413, with or without Content-Length", async () => {
    const { credential } = await enrol(api, a);
    const big = JSON.stringify({ ...heartbeat(1), pad: "x".repeat(1024 * 1024) });
    const res = await api.call("POST", "/heartbeat", { credential, raw: big });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(128 * 1024).fill(32));
        c.close();
      },
    });
    const streamed = await fetch(api.base + "/register", {
      method: "POST",
      body: chunks,
      duplex: "half",
      headers: { "content-type": "application/json" },
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  test("unknown paths are 404 JSON, wrong methods 405, and healthz answers", async () => {
    const nf = await api.call("GET", "/nope");
    expect(nf.status).toBe(404);
    expect((await nf.json()).error.code).toBe("NOT_FOUND");
    const wrong = await api.call("GET", "/heartbeat");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect((await wrong.json()).error.code).toBe("METHOD_NOT_ALLOWED");
    // A request target that is not a path: still a 404, and the server lives on.
    const { port } = new URL(api.base);
    const raw = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(Number(port), "127.0.0.1", () => sock.end("GET http://[oops/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
      let out = "";
      sock.on("data", (d) => (out += d.toString()));
      sock.on("end", () => resolve(out));
      sock.on("error", reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 (404|400)/);
    const health = await api.call("GET", "/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
  });
});
