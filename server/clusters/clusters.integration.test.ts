// The clusters service through the tRPC router (what the console and REST call):
// server-side pagination and filters, detail with live hot state, validated edits,
// deletion, and another tenant's clusters always NOT_FOUND.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, tenantCtx, userCaller, type TenantFixture } from "../../test/fixtures";
import { publishRevision } from "../config/publish-revision";
import { recordAck } from "../rollouts/record-ack";
import { db } from "../platform/db/client";
import type { AgentPrincipal } from "../platform/agent-principal";
import { recordHeartbeat } from "./record-heartbeat";

let a: TenantFixture;
let b: TenantFixture;
const ids: Record<string, string> = {};

async function cluster(
  t: TenantFixture,
  name: string,
  data: { labels?: Record<string, string>; siteType?: "EDGE" | "CLOUD" | "ONPREM"; availability?: "AVAILABLE" | "UNKNOWN" } = {},
) {
  const c = await makeCluster(t.id, { name, siteType: data.siteType, availability: data.availability });
  if (data.labels) await db().cluster.update({ where: { id: c.id }, data: { labels: data.labels } });
  return c.id;
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e: { code?: string }) => e.code ?? String(e),
  );
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: { code: string; message: string }) => e,
  );

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant("cl"), makeTenant("cl-b")]);
  ids.alpha = await cluster(a, "pg-alpha", { labels: { env: "prod", tier: "edge" }, siteType: "EDGE" });
  ids.bravo = await cluster(a, "pg-bravo", { labels: { env: "prod", tier: "core" }, siteType: "CLOUD" });
  ids.charlie = await cluster(a, "pg-charlie", { labels: { env: "dev", "example.com/team": "net" }, siteType: "ONPREM", availability: "UNKNOWN" });
  ids.delta = await cluster(a, "pg-delta", { labels: { env: "prod", tier: "edge" }, siteType: "EDGE" });
  ids.echo = await cluster(a, "other-echo", { siteType: "CLOUD" });
  ids.foreign = await cluster(b, "pg-foreign", { labels: { env: "prod", tier: "edge" } });
});

describe("list", () => {
  test("pages by name with a cursor, never more than the limit, only the caller's tenant", async () => {
    const viewer = userCaller(a.members.VIEWER);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await viewer.clusters.list({ tenant: a.slug, limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.name));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(["other-echo", "pg-alpha", "pg-bravo", "pg-charlie", "pg-delta"]);
    expect(await codeOf(viewer.clusters.list({ tenant: a.slug, limit: 201 }))).toBe("BAD_REQUEST");
  });

  test("search (any case), site type, availability and label selectors combine", async () => {
    const list = (input: Record<string, unknown>) =>
      userCaller(a.members.VIEWER)
        .clusters.list({ tenant: a.slug, ...input })
        .then((r) => r.items.map((c) => c.name));
    expect(await list({ search: "PG-" })).toEqual(["pg-alpha", "pg-bravo", "pg-charlie", "pg-delta"]);
    expect(await list({ siteType: "EDGE" })).toEqual(["pg-alpha", "pg-delta"]);
    expect(await list({ availability: "UNKNOWN" })).toEqual(["pg-charlie"]);
    expect(await list({ labels: "env=prod" })).toEqual(["pg-alpha", "pg-bravo", "pg-delta"]);
    expect(await list({ labels: "env=prod,tier=edge" })).toEqual(["pg-alpha", "pg-delta"]);
    expect(await list({ labels: "example.com/team=net" })).toEqual(["pg-charlie"]);
    expect(await list({ labels: "env=prod", search: "delta", siteType: "EDGE" })).toEqual(["pg-delta"]);
    const bad = await errorOf(userCaller(a.members.VIEWER).clusters.list({ tenant: a.slug, labels: "env" }));
    expect(bad).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("labels") });
  });
});

describe("detail", () => {
  test("inventory, revisions, events and acks, with the fresher last-seen from Redis", async () => {
    const id = ids.alpha!;
    const agent: AgentPrincipal = { credentialId: "x", clusterId: id, clusterName: "pg-alpha", tenantId: a.id, tenantSlug: a.slug, leaseDurationSeconds: 15 };
    const rev = await publishRevision(a.id, id, { cluster: { id, name: "pg-alpha", tenant: a.slug }, slices: [], manifests: [] });
    await recordAck(agent, { revision: rev.revision, hash: rev.hash, status: "APPLIED" });
    await db().cluster.update({ where: { id }, data: { lastSeenAt: new Date(Date.now() - 3600_000) } });
    await recordHeartbeat(agent, {
      seq: 1,
      sentAt: new Date().toISOString(),
      appliedRevision: 1,
      components: [{ name: "gateway", status: "DEGRADED", message: "1/2 tunnels" }],
      gateways: [{ linkId: "l1", status: "UP", rttMs: 12 }],
    });

    const c = await userCaller(a.members.VIEWER).clusters.get({ tenant: a.slug, id });
    expect(c).toMatchObject({
      name: "pg-alpha",
      desiredRevision: 1,
      appliedRevision: 1,
      converged: true,
      kubernetesVersion: "v1.31.2",
      podCidrs: [expect.any(String)],
      labels: { env: "prod", tier: "edge" },
    });
    expect(Date.now() - c.lastSeenAt!.getTime()).toBeLessThan(60_000);
    expect(c.components).toEqual([{ name: "gateway", status: "DEGRADED", message: "1/2 tunnels" }]);
    expect(c.heartbeat).toMatchObject({ seq: 1, reportedAppliedRevision: 1, gateways: [{ linkId: "l1", status: "UP", rttMs: 12 }] });
    expect(c.latestRevision).toMatchObject({ revision: 1, hash: rev.hash });
    expect(c.acks).toMatchObject([{ revision: 1, status: "APPLIED" }]);

    const r = await userCaller(a.members.VIEWER).clusters.revision({ tenant: a.slug, id, revision: "latest" });
    expect(r).toMatchObject({ revision: 1, hash: rev.hash, bundle: { cluster: { id } } });
    expect(await codeOf(userCaller(a.members.VIEWER).clusters.revision({ tenant: a.slug, id, revision: "7" }))).toBe("NOT_FOUND");
  });

  test("events are listed newest first with a cursor", async () => {
    const id = ids.bravo!;
    await db().event.createMany({
      data: [1, 2, 3].map((n) => ({ tenantId: a.id, clusterId: id, type: "test.event", message: `e${n}`, createdAt: new Date(Date.now() + n * 1000) })),
    });
    const caller = userCaller(a.members.VIEWER);
    const first = await caller.clusters.events({ tenant: a.slug, id, limit: 2 });
    expect(first.items.map((e) => e.message)).toEqual(["e3", "e2"]);
    const rest = await caller.clusters.events({ tenant: a.slug, id, limit: 2, cursor: first.nextCursor! });
    expect(rest.items.map((e) => e.message)).toEqual(["e1"]);
    expect(rest.nextCursor).toBeNull();
  });
});

describe("edit and delete", () => {
  test("PATCH: rename, labels, site facts; audit with the diff", async () => {
    const op = userCaller(a.members.OPERATOR);
    const c = await op.clusters.update({
      tenant: a.slug,
      id: ids.echo!,
      name: "echo-renamed",
      labels: { env: "staging" },
      siteType: "ONPREM",
      region: "eu-west",
      latitude: 52.37,
      longitude: 4.9,
    });
    expect(c).toMatchObject({ name: "echo-renamed", labels: { env: "staging" }, siteType: "ONPREM", region: "eu-west", latitude: 52.37, longitude: 4.9 });
    const audit = await db().auditLog.findFirstOrThrow({
      where: { tenantId: a.id, action: "cluster.update", targetId: ids.echo },
      orderBy: { createdAt: "desc" },
    });
    expect(audit.diff).toMatchObject({ name: { from: "other-echo", to: "echo-renamed" }, siteType: { from: "CLOUD", to: "ONPREM" } });
    const cleared = await op.clusters.update({ tenant: a.slug, id: ids.echo!, region: null });
    expect(cleared.region).toBeNull();
  });

  test("PATCH validation names the field; a taken name is CONFLICT; a viewer is FORBIDDEN", async () => {
    const op = userCaller(a.members.OPERATOR);
    const input = { tenant: a.slug, id: ids.delta! };
    expect(await errorOf(op.clusters.update({ ...input, name: "pg-alpha" }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/^name: .*already exists/),
    });
    expect(await errorOf(op.clusters.update({ ...input, name: "Not A Label" }))).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("name"),
    });
    expect(await errorOf(op.clusters.update({ ...input, labels: { "bad key": "v" } }))).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("bad key"),
    });
    expect(await errorOf(op.clusters.update({ ...input, latitude: 91 }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("latitude") });
    expect(await codeOf(userCaller(a.members.VIEWER).clusters.update({ ...input, region: "x" }))).toBe("FORBIDDEN");
    expect((await db().cluster.findUniqueOrThrow({ where: { id: ids.delta! } })).name).toBe("pg-delta");
  });

  test("delete: ADMIN only, revokes credentials, leaves an audit row and a tenant event", async () => {
    const id = await cluster(a, "to-delete");
    await db().agentCredential.create({ data: { id: "cred-" + id.slice(-10), tenantId: a.id, clusterId: id, secretHash: "x" } });
    expect(await codeOf(userCaller(a.members.OPERATOR).clusters.delete({ tenant: a.slug, id }))).toBe("FORBIDDEN");
    expect(await userCaller(a.members.ADMIN).clusters.delete({ tenant: a.slug, id })).toEqual({ ok: true });
    expect(await db().cluster.count({ where: { id } })).toBe(0);
    expect(await db().agentCredential.count({ where: { clusterId: id } })).toBe(0);
    expect(await db().auditLog.count({ where: { tenantId: a.id, action: "cluster.delete", targetId: id } })).toBe(1);
    expect(await db().event.count({ where: { tenantId: a.id, type: "cluster.deleted", data: { path: ["clusterId"], equals: id } } })).toBe(1);
  });
});

describe("another tenant", () => {
  test("cannot see, change or delete A's clusters: NOT_FOUND, and A's cluster is untouched", async () => {
    const owner = userCaller(b.owner);
    const id = ids.bravo!;
    expect(await codeOf(owner.clusters.get({ tenant: b.slug, id }))).toBe("NOT_FOUND");
    expect(await codeOf(owner.clusters.update({ tenant: b.slug, id, name: "stolen" }))).toBe("NOT_FOUND");
    expect(await codeOf(owner.clusters.delete({ tenant: b.slug, id }))).toBe("NOT_FOUND");
    expect(await codeOf(owner.clusters.events({ tenant: b.slug, id }))).toBe("NOT_FOUND");
    expect(await codeOf(owner.clusters.revision({ tenant: b.slug, id, revision: "latest" }))).toBe("NOT_FOUND");
    expect((await owner.clusters.list({ tenant: b.slug })).items.map((c) => c.name)).toEqual(["pg-foreign"]);
    expect(await codeOf(owner.clusters.list({ tenant: a.slug }))).toBe("NOT_FOUND");
    expect((await db().cluster.findUniqueOrThrow({ where: { id } })).name).toBe("pg-bravo");
    // The service itself, given B's context, behaves the same.
    const { getCluster } = await import("./get-cluster");
    expect(await codeOf(getCluster(tenantCtx(b), id))).toBe("NOT_FOUND");
  });
});
