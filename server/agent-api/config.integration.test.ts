// Config delivery: long-polls answered at once, woken by a revision published in
// ANOTHER process, or 204 after the wait; acks that never move the applied revision
// backwards; credential rotation; revocation seen across processes; shutdown.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant, type TenantFixture } from "../../test/fixtures";
import { publishRevision } from "../config/publish-revision";
import { db } from "../platform/db/client";
import { enrol, heartbeat, startTestApi, type TestApi } from "./test-helpers";

let api: TestApi;
let a: TenantFixture;

beforeAll(async () => {
  a = await makeTenant("cfg");
  api = await startTestApi();
});
afterAll(() => api.api.close());

const TSX = path.resolve(import.meta.dirname, "../../node_modules/.bin/tsx");
function runChild(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(import.meta.dirname, "test-child.ts"), ...args], {
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

const bundle = (clusterId: string, n: number) => ({
  cluster: { id: clusterId, name: "c", tenant: a.slug },
  slices: [],
  manifests: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: `ns-${n}` } }],
});
const poll = (credential: string, after: number, wait = 0) => api.call("GET", `/config?after=${after}&waitSeconds=${wait}`, { credential });
const ack = (credential: string, body: unknown) => api.call("POST", "/ack", { credential, body });

describe("long-poll", () => {
  test("the latest revision at once when newer than `after`; 204 after the wait when nothing comes", async () => {
    const { clusterId, credential } = await enrol(api, a);
    const now = await poll(credential, 0);
    expect(now.status).toBe(200);
    const body = await now.json();
    expect(body).toMatchObject({
      revision: 1,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      bundle: { cluster: { id: clusterId, tenant: a.slug }, slices: [], manifests: [] },
    });
    // Asked to wait, but something newer is there: answered at once all the same.
    const t0 = Date.now();
    const atOnce = await poll(credential, 0, 30);
    expect(atOnce.status).toBe(200);
    expect((await atOnce.json()).revision).toBe(1);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect((await poll(credential, 1, 0)).status).toBe(204);
    const waited = await poll(credential, 1, 1);
    expect(waited.status).toBe(204);
    expect(await waited.text()).toBe("");
    const bad = await poll(credential, 1, 61);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain("waitSeconds");
  });

  test("a held long-poll answers as soon as another process publishes", async () => {
    const { clusterId, credential } = await enrol(api, a);
    const held = poll(credential, 1, 30);
    await expect.poll(() => api.api.waiters.size, { timeout: 5_000, interval: 10 }).toBeGreaterThan(0);
    const published = JSON.parse(await runChild("publish", a.id, clusterId, "x1"));
    expect(published).toMatchObject({ revision: 2, created: true });
    const res = await held;
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.revision).toBe(2);
    expect(body.hash).toBe(published.hash);
    expect(body.bundle.manifests[0].metadata.name).toBe("from-child-x1");
  });

  test("an unchanged bundle publishes nothing; racing publishers get distinct revisions", async () => {
    const { clusterId } = await enrol(api, a);
    const first = await publishRevision(a.id, clusterId, bundle(clusterId, 1));
    expect(first).toMatchObject({ revision: 2, created: true });
    expect(await publishRevision(a.id, clusterId, bundle(clusterId, 1))).toEqual({ ...first, created: false });
    const raced = await Promise.all([2, 3, 4].map((n) => publishRevision(a.id, clusterId, bundle(clusterId, n))));
    expect(raced.map((r) => r.revision).sort()).toEqual([3, 4, 5]);
    expect((await db().cluster.findUniqueOrThrow({ where: { id: clusterId } })).desiredRevision).toBe(5);
  });

  test("an agent that hangs up is held no longer; the others stay held", async () => {
    const other = await startTestApi();
    try {
      const [x, y] = [await enrol(other, a), await enrol(other, a)];
      const abort = new AbortController();
      const gone = other.call("GET", "/config?after=1&waitSeconds=30", { credential: x.credential, signal: abort.signal }).catch((err: Error) => err);
      const stays = other.call("GET", "/config?after=1&waitSeconds=30", { credential: y.credential });
      await expect.poll(() => other.api.waiters.size, { timeout: 5_000, interval: 10 }).toBe(2);
      abort.abort();
      expect(await gone).toBeInstanceOf(Error);
      await expect.poll(() => other.api.waiters.size, { timeout: 5_000, interval: 10 }).toBe(1);
      // The one still held is still answered when its revision comes.
      await publishRevision(a.id, y.clusterId, bundle(y.clusterId, 9));
      const res = await stays;
      expect(res.status).toBe(200);
      expect((await res.json()).revision).toBe(2);
    } finally {
      await other.api.close();
    }
  });

  test("shutdown answers held long-polls with 204", async () => {
    const other = await startTestApi();
    const { credential } = await enrol(other, a);
    const held = other.call("GET", "/config?after=1&waitSeconds=30", { credential });
    await expect.poll(() => other.api.waiters.size, { timeout: 5_000, interval: 10 }).toBeGreaterThan(0);
    const closing = other.api.close();
    expect((await held).status).toBe(204);
    await closing;
  });
});

describe("acks", () => {
  test("applied moves forward only, with the published hash; everything is recorded; failures make events", async () => {
    const { clusterId, credential } = await enrol(api, a);
    const r2 = await publishRevision(a.id, clusterId, bundle(clusterId, 2));
    const r3 = await publishRevision(a.id, clusterId, bundle(clusterId, 3));
    const applied = async () => (await db().cluster.findUniqueOrThrow({ where: { id: clusterId } })).appliedRevision;

    const ok = await ack(credential, { revision: 3, hash: r3.hash, status: "APPLIED" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    expect(await applied()).toBe(3);

    expect((await ack(credential, { revision: 2, hash: r2.hash, status: "APPLIED" })).status).toBe(200);
    expect(await applied()).toBe(3);

    expect((await ack(credential, { revision: 4, hash: "f00", status: "APPLIED" })).status).toBe(200);
    expect(await applied()).toBe(3);

    expect((await ack(credential, { revision: 3, hash: r3.hash, status: "FAILED", message: "admission webhook denied" })).status).toBe(200);
    expect(await applied()).toBe(3);

    const acks = await db().configAck.findMany({ where: { clusterId }, orderBy: { createdAt: "asc" } });
    expect(acks.map((x) => [x.revision, x.status])).toEqual([
      [3, "APPLIED"],
      [2, "APPLIED"],
      [4, "APPLIED"],
      [3, "FAILED"],
    ]);
    const events = await db().event.findMany({ where: { clusterId, type: { startsWith: "config." } } });
    expect(events.map((e) => e.type).sort()).toEqual(["config.ack-mismatch", "config.apply-failed"]);
    expect(events.find((e) => e.type === "config.apply-failed")!.message).toContain("admission webhook denied");

    // Drift the agent put back: the applied revision acked again, objects marked "drift:".
    const objects = [
      { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", namespace: "shop", name: "isthmus-s-allow-slice", result: "drift: deleted; re-created" },
    ];
    expect((await ack(credential, { revision: 3, hash: r3.hash, status: "APPLIED", objects })).status).toBe(200);
    const drift = await db().event.findFirst({ where: { clusterId, type: "config.drift" } });
    expect(drift).toMatchObject({
      severity: "WARNING",
      message: expect.stringContaining("1 object of revision 3 changed outside Isthmus: NetworkPolicy shop/isthmus-s-allow-slice (deleted; re-created)"),
    });
    expect(await applied()).toBe(3);

    const bad = await ack(credential, { revision: 0, hash: "x", status: "DONE" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/revision|status/);
  });
});

describe("credentials", () => {
  test("rotation: a new credential; the old one stops working at once", async () => {
    const { clusterId, credential } = await enrol(api, a);
    expect((await api.call("POST", "/heartbeat", { credential, body: heartbeat(1) })).status).toBe(200);
    const res = await api.call("POST", "/credential/rotate", { credential });
    expect(res.status).toBe(200);
    const { credential: next } = await res.json();
    expect(next).toMatch(/^isa_/);
    expect((await api.call("POST", "/heartbeat", { credential, body: heartbeat(2) })).status).toBe(401);
    expect((await api.call("POST", "/heartbeat", { credential: next, body: heartbeat(3) })).status).toBe(200);
    expect(await db().auditLog.count({ where: { tenantId: a.id, action: "cluster.credential-rotate", targetId: clusterId } })).toBe(1);
  });

  test("a cluster deleted by another process: its credential is refused promptly", async () => {
    const { clusterId, credential } = await enrol(api, a);
    expect((await api.call("POST", "/heartbeat", { credential, body: heartbeat(1) })).status).toBe(200); // cached here
    await runChild("delete", a.id, clusterId);
    await expect
      .poll(async () => (await api.call("POST", "/heartbeat", { credential, body: heartbeat(Date.now()) })).status, { timeout: 1_000, interval: 20 })
      .toBe(401);
  });
});
