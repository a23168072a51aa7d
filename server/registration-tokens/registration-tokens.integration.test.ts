// Registration tokens over tRPC and REST: shown once with an install snippet, listed
// with what is left and why a token no longer works, revoked, audited.
import { beforeAll, describe, expect, test } from "vitest";
import { makeTenant, tokenCaller, userCaller, type TenantFixture } from "../../test/fixtures";
import { clusterInfo } from "../agent-api/test-helpers";
import { registerCluster } from "../clusters/register-cluster";
import { db } from "../platform/db/client";
import { createRequestContext } from "../trpc/context";
import { handleRest } from "../trpc/rest-handler";

let a: TenantFixture;
let b: TenantFixture;
let apiToken: string;

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant("rt"), makeTenant("rt-b")]);
  apiToken = (await tokenCaller(a, "ADMIN")).token;
});

function rest(method: string, path: string, body?: unknown, token = apiToken) {
  const headers = new Headers({ "content-type": "application/json", authorization: `Bearer ${token}` });
  const req = new Request(`http://localhost/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return handleRest(req, { createContext: (r) => createRequestContext({ headers: r.headers, getSessionUser: async () => null }) });
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e: { code?: string }) => e.code ?? String(e),
  );

describe("create", () => {
  test("defaults: 24 h, one use; the token and install snippet once", async () => {
    const t = await userCaller(a.members.ADMIN).registrationTokens.create({ tenant: a.slug, name: "edge sites" });
    expect(t.token).toMatch(new RegExp(`^isr_${t.id}\\.`));
    expect(t.maxUses).toBe(1);
    expect(t.usesLeft).toBe(1);
    expect(Math.abs(t.expiresAt.getTime() - Date.now() - 86_400_000)).toBeLessThan(60_000);
    expect(t.install.url).toBe(`http://localhost:3000/api/agent/v1/install/${t.id}.yaml`);
    expect(t.install.command).toBe(
      `(m=$(curl -sSL --fail-with-body -H 'Authorization: Bearer ${t.token}' ${t.install.url}) || { printf '%s\\n' "$m" >&2; exit 1; }; printf '%s\\n' "$m" | kubectl apply -f -)`,
    );
    expect(t.install.warning).toMatch(/no cluster|would dial itself/);
    expect(t.install.localCommand).toBe(`npx isthmus-agent --server http://localhost:3000 --token ${t.token}`);
    expect(t.install.secretManifest).toContain(`token: "${t.token}"`);
    const row = await db().registrationToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.secretHash).not.toContain(t.token.split(".")[1]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { tenantId: a.id, action: "registration-token.create", targetId: t.id } });
    expect(JSON.stringify(audit.diff)).not.toContain(t.token);
  });

  test("unlimited only when chosen; labels and site type validated; TTL at most 30 days; ADMIN only", async () => {
    const admin = userCaller(a.members.ADMIN);
    const unlimited = await admin.registrationTokens.create({
      tenant: a.slug,
      name: "fleet",
      unlimited: true,
      labels: { env: "prod" },
      siteType: "EDGE",
      ttlSeconds: 30 * 86400,
    });
    expect(unlimited).toMatchObject({ maxUses: null, usesLeft: null, labels: { env: "prod" }, siteType: "EDGE" });
    const many = await admin.registrationTokens.create({ tenant: a.slug, name: "five", maxUses: 5 });
    expect(many).toMatchObject({ maxUses: 5, usesLeft: 5 });
    for (const bad of [
      { name: "x", ttlSeconds: 30 * 86400 + 1 },
      { name: "x", maxUses: 0 },
      { name: "x", maxUses: 3, unlimited: true },
      { name: "x", labels: { "no spaces": "v" } },
      { name: "x", siteType: "MOON" },
      { name: "" },
    ]) {
      expect(await codeOf(admin.registrationTokens.create({ tenant: a.slug, ...(bad as { name: string }) }))).toBe("BAD_REQUEST");
    }
    expect(await codeOf(userCaller(a.members.OPERATOR).registrationTokens.create({ tenant: a.slug, name: "nope" }))).toBe("FORBIDDEN");
  });
});

describe("list and revoke", () => {
  test("uses left, last use, redeemable and the reason when not", async () => {
    const admin = userCaller(a.members.ADMIN);
    const used = await admin.registrationTokens.create({ tenant: a.slug, name: "once" });
    await registerCluster({ token: used.token, cluster: clusterInfo(), agentVersion: "0.1.0" }, "203.0.113.50");
    const expired = await admin.registrationTokens.create({ tenant: a.slug, name: "old" });
    await db().registrationToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const revoked = await admin.registrationTokens.create({ tenant: a.slug, name: "gone", maxUses: 3 });
    await admin.registrationTokens.revoke({ tenant: a.slug, id: revoked.id });
    const fresh = await admin.registrationTokens.create({ tenant: a.slug, name: "fresh", maxUses: 3 });

    const items = (await admin.registrationTokens.list({ tenant: a.slug })).items;
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get(used.id)).toMatchObject({ uses: 1, usesLeft: 0, redeemable: false, reason: "USED_UP", lastUsedAt: expect.any(Date) });
    expect(byId.get(expired.id)).toMatchObject({ redeemable: false, reason: "EXPIRED" });
    expect(byId.get(revoked.id)).toMatchObject({ redeemable: false, reason: "REVOKED", revokedAt: expect.any(Date) });
    expect(byId.get(fresh.id)).toMatchObject({ redeemable: true, reason: null, usesLeft: 3, lastUsedAt: null });
    expect(JSON.stringify(items)).not.toMatch(/isr_|secretHash/);
    expect(await db().auditLog.count({ where: { tenantId: a.id, action: "registration-token.revoke", targetId: revoked.id } })).toBe(1);
  });

  test("another tenant's token is NOT_FOUND and stays usable", async () => {
    const t = await userCaller(b.members.ADMIN).registrationTokens.create({ tenant: b.slug, name: "b-token" });
    expect(await codeOf(userCaller(a.owner).registrationTokens.revoke({ tenant: a.slug, id: t.id }))).toBe("NOT_FOUND");
    expect((await db().registrationToken.findUniqueOrThrow({ where: { id: t.id } })).revokedAt).toBeNull();
    expect((await userCaller(a.owner).registrationTokens.list({ tenant: a.slug })).items.map((i) => i.id)).not.toContain(t.id);
  });
});

describe("REST /api/v1", () => {
  test("POST /registration-tokens is 201 with the token; GET lists it; DELETE revokes", async () => {
    const created = await rest("POST", "/registration-tokens", { name: "rest-made", ttlSeconds: 3600, maxUses: 2, labels: { env: "prod" }, siteType: "CLOUD" });
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body).toMatchObject({ id: expect.any(String), token: expect.stringMatching(/^isr_/), maxUses: 2, usesLeft: 2, expiresAt: expect.any(String) });
    expect(body.install.url).toMatch(new RegExp(`/api/agent/v1/install/${body.id}\\.yaml$`));
    expect(body.install.command).toContain(`Bearer ${body.token}`);
    expect(body.install.command).toMatch(/\| kubectl apply -f -\)$/);
    const list = await (await rest("GET", "/registration-tokens")).json();
    expect(list.items.find((i: { id: string }) => i.id === body.id)).toMatchObject({ name: "rest-made", redeemable: true });
    expect((await rest("DELETE", `/registration-tokens/${body.id}`)).status).toBe(200);
    const after = await (await rest("GET", "/registration-tokens")).json();
    expect(after.items.find((i: { id: string }) => i.id === body.id)).toMatchObject({ redeemable: false, reason: "REVOKED" });
    const bad = await rest("POST", "/registration-tokens", { name: "x", ttlSeconds: 99_999_999 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("ttlSeconds");
  });

  test("clusters over REST: list with a label selector, detail, PATCH, DELETE", async () => {
    const t = await rest("POST", "/registration-tokens", { name: "for-rest", labels: { site: "lab" } }).then((r) => r.json());
    const { clusterId } = await registerCluster({ token: t.token, cluster: clusterInfo({ name: "rest-cluster" }), agentVersion: "0.1.0" }, "203.0.113.51");
    const list = await rest("GET", "/clusters?labels=site%3Dlab&limit=10");
    expect(list.status).toBe(200);
    expect((await list.json()).items.map((c: { id: string }) => c.id)).toEqual([clusterId]);
    const detail = await rest("GET", `/clusters/${clusterId}`);
    expect(detail.status).toBe(200);
    expect(await detail.json()).toMatchObject({ id: clusterId, name: "rest-cluster", availability: "AVAILABLE", desiredRevision: 1 });
    const rev = await rest("GET", `/clusters/${clusterId}/revisions/latest`);
    expect(await rev.json()).toMatchObject({ revision: 1, bundle: { cluster: { id: clusterId, name: "rest-cluster" } } });
    const patched = await rest("PATCH", `/clusters/${clusterId}`, { region: "lab-1", labels: { site: "lab", rack: "r7" } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ region: "lab-1", labels: { rack: "r7" } });
    const badPatch = await rest("PATCH", `/clusters/${clusterId}`, { longitude: 999 });
    expect(badPatch.status).toBe(400);
    expect((await rest("DELETE", `/clusters/${clusterId}`)).status).toBe(200);
    expect((await rest("GET", `/clusters/${clusterId}`)).status).toBe(404);
  });
});
