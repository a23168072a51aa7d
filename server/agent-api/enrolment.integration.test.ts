// Enrolment over the agent API: every kind of bad token is refused with its own code
// and creates nothing; the last use of a token goes to exactly one agent; registering
// the same cluster again re-attaches it with a new credential.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant, tenantCtx, type TenantFixture } from "../../test/fixtures";
import { issueSecret } from "../auth/secrets";
import { bundleHash } from "../config/bundle-hash";
import { db } from "../platform/db/client";
import { revokeRegistrationToken } from "../registration-tokens/revoke-registration-token";
import { clusterInfo, enrol, heartbeat, makeRegistrationToken, randomIp, startTestApi, type TestApi } from "./test-helpers";

let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant("enrol"), makeTenant("enrol-b")]);
  api = await startTestApi();
});
afterAll(() => api.api.close());

const register = (token: string, cluster = clusterInfo(), ip?: string) =>
  api.call("POST", "/register", { body: { token, cluster, agentVersion: "0.1.0" }, ip });

async function counts() {
  const tenantId = { in: [a.id, b.id] };
  const [clusters, credentials, revisions] = await Promise.all([
    db().cluster.count({ where: { tenantId } }),
    db().agentCredential.count({ where: { tenantId } }),
    db().configRevision.count({ where: { tenantId } }),
  ]);
  return { clusters, credentials, revisions };
}

async function expectRefused(token: string, code: string, message: RegExp) {
  const before = await counts();
  const res = await register(token);
  expect(res.status).toBe(401);
  const body = await res.json();
  expect(body).toEqual({ error: { code, message: expect.stringMatching(message) } });
  expect(await counts()).toEqual(before);
}

describe("refused registration tokens: 401 with the reason, nothing created", () => {
  test("expired", async () => {
    const t = await makeRegistrationToken(a);
    await db().registrationToken.update({ where: { id: t.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectRefused(t.token, "TOKEN_EXPIRED", /expired/);
  });

  test("used up, and the refusal is recorded once a minute for the tenant", async () => {
    const t = await makeRegistrationToken(a, { maxUses: 1 });
    expect((await register(t.token)).status).toBe(201);
    await expectRefused(t.token, "TOKEN_USED_UP", /no uses left/);
    await expectRefused(t.token, "TOKEN_USED_UP", /no uses left/);
    const events = await db().event.findMany({ where: { tenantId: a.id, type: "cluster.enrol-refused", data: { path: ["tokenId"], equals: t.id } } });
    expect(events).toHaveLength(1);
    expect(events[0]!.severity).toBe("WARNING");
    expect(await db().auditLog.count({ where: { tenantId: a.id, action: "cluster.enrol-refused", targetId: t.id } })).toBe(1);
  });

  test("revoked", async () => {
    const t = await makeRegistrationToken(a, { unlimited: true });
    await revokeRegistrationToken(tenantCtx(a), t.id);
    await expectRefused(t.token, "TOKEN_REVOKED", /revoked/);
  });

  test("malformed", async () => {
    for (const token of ["isr_nope", "garbage", "isr_" + "a".repeat(20) + ".short", "ist_abcdefghijabcdefghij." + "x".repeat(43)]) {
      await expectRefused(token, "TOKEN_UNKNOWN", /unknown/);
    }
  });

  test("unknown id, or a known id with the wrong secret", async () => {
    await expectRefused(issueSecret("isr").token, "TOKEN_UNKNOWN", /unknown/);
    const t = await makeRegistrationToken(a);
    const [id] = t.token.split(".");
    await expectRefused(`${id}.${"A".repeat(43)}`, "TOKEN_UNKNOWN", /unknown/);
  });

  test("another tenant's revoked token, and a token of a deleted tenant", async () => {
    const t = await makeRegistrationToken(b);
    await revokeRegistrationToken(tenantCtx(b), t.id);
    await expectRefused(t.token, "TOKEN_REVOKED", /revoked/);
    const gone = await makeTenant("enrol-gone");
    const g = await makeRegistrationToken(gone);
    await db().tenant.delete({ where: { id: gone.id } });
    await expectRefused(g.token, "TOKEN_UNKNOWN", /unknown/);
  });

  test("bad input is 400 and names the field; an empty token is bad input", async () => {
    const t = await makeRegistrationToken(a);
    const res = await register(t.token, clusterInfo({ podCidrs: ["not-a-cidr"] }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("BAD_REQUEST");
    expect(body.error.message).toContain("cluster.podCidrs.0");
    expect((await register("")).status).toBe(400);
    // The token was not used by the bad request.
    expect((await db().registrationToken.findUniqueOrThrow({ where: { id: t.id } })).uses).toBe(0);
  });
});

describe("enrolment", () => {
  test("two agents racing for the last use: exactly one wins", async () => {
    const t = await makeRegistrationToken(a, { maxUses: 1 });
    const before = await counts();
    const results = await Promise.all([register(t.token), register(t.token)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 401]);
    const loser = results.find((r) => r.status === 401)!;
    expect((await loser.json()).error.code).toBe("TOKEN_USED_UP");
    expect((await counts()).clusters).toBe(before.clusters + 1);
    expect((await db().registrationToken.findUniqueOrThrow({ where: { id: t.id } })).uses).toBe(1);
  });

  test("applies the token's labels and site type, names the cluster, writes revision 1, events and audit", async () => {
    const t = await makeRegistrationToken(a, { labels: { env: "prod", "example.com/team": "net" }, siteType: "EDGE" });
    const info = clusterInfo({ uid: "4f1c2b3a-0000-4000-8000-000000000001", siteType: "CLOUD" });
    const res = await register(t.token, info);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({ clusterId: expect.any(String), credential: expect.stringMatching(/^isa_/), leaseDurationSeconds: 15 });
    const c = await db().cluster.findUniqueOrThrow({ where: { id: body.clusterId } });
    expect(c).toMatchObject({
      tenantId: a.id,
      name: "cluster-4f1c2b3a",
      siteType: "EDGE",
      labels: { env: "prod", "example.com/team": "net" },
      availability: "AVAILABLE",
      desiredRevision: 1,
      cni: "cilium",
      nodeCount: 3,
    });
    const rev = await db().configRevision.findFirstOrThrow({ where: { clusterId: c.id } });
    const bundle = { cluster: { id: c.id, name: c.name, tenant: a.slug }, slices: [], manifests: [] };
    expect(rev).toMatchObject({ revision: 1, bundle, hash: bundleHash(bundle) });
    const types = (await db().event.findMany({ where: { clusterId: c.id } })).map((e) => e.type).sort();
    expect(types).toEqual(["cluster.available", "cluster.registered"]);
    expect(await db().auditLog.count({ where: { tenantId: a.id, action: "cluster.register", targetId: c.id, actorType: "AGENT" } })).toBe(1);
  });

  test("names are unique per tenant: -2, -3", async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await enrol(api, a, { name: "edge-store" })).clusterId);
    const names = (await db().cluster.findMany({ where: { id: { in: ids } }, select: { name: true } })).map((c) => c.name).sort();
    expect(names).toEqual(["edge-store", "edge-store-2", "edge-store-3"]);
  });

  test("registering the same uid again: same cluster id, new credential, the old one refused", async () => {
    const t = await makeRegistrationToken(a, { maxUses: 2 });
    const info = clusterInfo({ name: "reattach" });
    const first = await (await register(t.token, info)).json();
    expect((await api.call("POST", "/heartbeat", { credential: first.credential, body: heartbeat(Date.now()) })).status).toBe(200);
    const again = await register(t.token, { ...info, nodeCount: 7 });
    expect(again.status).toBe(201);
    const second = await again.json();
    expect(second.clusterId).toBe(first.clusterId);
    expect(second.credential).not.toBe(first.credential);
    const stale = await api.call("POST", "/heartbeat", { credential: first.credential, body: heartbeat(Date.now()) });
    expect(stale.status).toBe(401);
    expect((await stale.json()).error.code).toBe("UNAUTHORIZED");
    expect((await api.call("POST", "/heartbeat", { credential: second.credential, body: heartbeat(1) })).status).toBe(200);
    const c = await db().cluster.findUniqueOrThrow({ where: { id: first.clusterId } });
    expect(c).toMatchObject({ nodeCount: 7, desiredRevision: 1, name: "reattach" });
    expect(await db().configRevision.count({ where: { clusterId: c.id } })).toBe(1);
  });

  test("enrolment is rate limited per source address: 429 with Retry-After", async () => {
    const limited = await startTestApi({ enrolRatePerMinute: 2 });
    try {
      const ip = randomIp();
      const call = () => limited.call("POST", "/register", { body: { token: "isr_x", cluster: clusterInfo(), agentVersion: "0.1.0" }, ip });
      expect((await call()).status).toBe(401);
      expect((await call()).status).toBe(401);
      const res = await call();
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await res.json()).error.code).toBe("RATE_LIMITED");
    } finally {
      await limited.api.close();
    }
  });
});
