// Slices under concurrent writers: patches of one slice that overlap all land; a stale
// version is refused (412) and changes nothing; a slice save racing the deletion of one
// of its member clusters never answers 500 and never loses the other members; an import
// with one conflicting document creates nothing.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, tenantCtx, tokenCaller, type TenantFixture } from "../../test/fixtures";
import { deleteCluster } from "../clusters/delete-cluster";
import { updateCluster } from "../clusters/update-cluster";
import { drainOutbox } from "../rollouts/outbox";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { createQosProfile } from "../qos-profiles/create-qos-profile";
import { createRequestContext } from "../trpc/context";
import { handleRest } from "../trpc/rest-handler";
import { deleteSlice } from "./delete-slice";
import { importSlices } from "../kubeslice/import-export";
import { getSlice } from "./list-slices";
import { patchSlice, saveSlice } from "./save-slice";

let t: TenantFixture;
let token: string;
// Slice subnets of their own (10.150–10.199), clear of test clusters' pod ranges (10.100+n).
let n = 0;
const nextSubnet = () => `10.${150 + (n++ % 50)}.0.0/16`;

const createContext = (req: Request) => createRequestContext({ headers: req.headers, getSessionUser: async () => null });
function rest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const h = new Headers({ "content-type": "application/json", authorization: `Bearer ${token}`, ...headers });
  const req = new Request(`http://localhost/api/v1${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  return handleRest(req, { createContext });
}

/** How a call ended, as a user sees it: OK, or the error code (INTERNAL for anything unexpected). */
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e: unknown) => (e instanceof AppError ? e.code : `INTERNAL: ${(e as Error).message}`),
  );

beforeAll(async () => {
  t = await makeTenant("slice-race");
  token = (await tokenCaller(t, "OPERATOR")).token;
});

describe("lost updates", () => {
  test("two concurrent patches of different fields of one slice both land", async () => {
    const ctx = tenantCtx(t, "OPERATOR");
    for (let round = 0; round < 4; round++) {
      const [a, b, c] = [await makeCluster(t.id), await makeCluster(t.id), await makeCluster(t.id)];
      const s = await saveSlice(ctx, { spec: { name: `both-${round}`, subnet: nextSubnet(), members: [a.name, b.name] } });
      const results = await Promise.all([
        patchSlice(ctx, s.id, { description: `described ${round}` }),
        patchSlice(ctx, s.id, { members: [a.name, b.name, c.name] }),
      ]);
      expect(results.map((r) => r.version).sort()).toEqual([2, 3]);
      const view = await getSlice(ctx, s.id);
      expect(view.spec.description).toBe(`described ${round}`);
      expect(view.spec.members).toEqual([a.name, b.name, c.name]);
      expect(view.version).toBe(3);
    }
  });

  test("REST: GET answers an ETag; a stale If-Match gets 412 and changes nothing; the current one or * passes", async () => {
    const [a, b] = [await makeCluster(t.id), await makeCluster(t.id)];
    const created = await rest("POST", "/slices", { name: "etagged", subnet: nextSubnet(), members: [a.name, b.name] });
    expect(created.status).toBe(200);
    expect(created.headers.get("etag")).toBe('"1"');
    const { id } = (await created.json()) as { id: string };

    const got = await rest("GET", `/slices/${id}`);
    expect(got.headers.get("etag")).toBe('"1"');
    const first = await rest("PATCH", `/slices/${id}`, { description: "first" }, { "if-match": '"1"' });
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).toBe('"2"');

    // Someone who read version 1 tries again: refused, and nothing changes.
    const stale = await rest("PATCH", `/slices/${id}`, { description: "stale" }, { "if-match": '"1"' });
    expect(stale.status).toBe(412);
    const problem = (await stale.json()) as { detail: string; errors?: Record<string, string[]> };
    expect(problem.detail).toMatch(/changed by someone else/);
    expect(problem.errors).toMatchObject({ "If-Match": [expect.stringContaining("2")] });
    // A weak tag never matches under If-Match (strong comparison, RFC 9110).
    expect((await rest("PATCH", `/slices/${id}`, { description: "weak" }, { "if-match": 'W/"2"' })).status).toBe(412);
    expect((await rest("PATCH", `/slices/${id}`, { description: "garbled" }, { "if-match": "2" })).status).toBe(400);
    const view = await getSlice(tenantCtx(t), id);
    expect(view.spec.description).toBe("first");
    expect(view.version).toBe(2);
    expect(await db().auditLog.count({ where: { tenantId: t.id, targetId: id, action: "slice.update" } })).toBe(1);

    expect((await rest("PATCH", `/slices/${id}`, { description: "listed" }, { "if-match": '"9", "2"' })).status).toBe(200);
    const any = await rest("PATCH", `/slices/${id}`, { description: "any" }, { "if-match": "*" });
    expect(any.status).toBe(200);
    expect(any.headers.get("etag")).toBe('"4"');
    // expectedVersion in the body does the same for clients that cannot set headers.
    expect((await rest("PATCH", `/slices/${id}`, { description: "body", expectedVersion: 3 })).status).toBe(412);

    // DELETE honours If-Match too.
    expect((await rest("DELETE", `/slices/${id}`, undefined, { "if-match": '"3"' })).status).toBe(412);
    expect(await db().slice.count({ where: { id } })).toBe(1);
    expect((await rest("DELETE", `/slices/${id}`, undefined, { "if-match": '"4"' })).status).toBe(200);
    expect(await db().slice.count({ where: { id } })).toBe(0);
  });

  test("tRPC services: a stale expectedVersion is PRECONDITION_FAILED naming the field; deletes of slices and QoS profiles check it", async () => {
    const ctx = tenantCtx(t, "OPERATOR");
    const [a, b] = [await makeCluster(t.id), await makeCluster(t.id)];
    const s = await saveSlice(ctx, { spec: { name: "versioned", subnet: nextSubnet(), members: [a.name, b.name] } });
    await patchSlice(ctx, s.id, { description: "v2" }, false, { expectedVersion: 1 });
    await expect(patchSlice(ctx, s.id, { description: "v3?" }, false, { expectedVersion: 1 })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      details: { fieldErrors: { expectedVersion: [expect.stringContaining("2")] } },
    });
    await expect(deleteSlice(ctx, s.id, { expectedVersion: 1 })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((await getSlice(ctx, s.id)).spec.description).toBe("v2");

    const p = await createQosProfile(ctx, { name: "race-gold", priority: 1, bandwidthCeilingKbps: 2000, bandwidthGuaranteedKbps: 1000, dscpClass: "AF41" });
    expect(p.version).toBe(1);
    const res = await rest("DELETE", `/qos-profiles/${p.id}`, undefined, { "if-match": '"7"' });
    expect(res.status).toBe(412);
    expect(await db().qosProfile.count({ where: { id: p.id } })).toBe(1);
    const patched = await rest("PATCH", `/qos-profiles/${p.id}`, { priority: 2 }, { "if-match": '"1"' });
    expect(patched.status).toBe(200);
    expect(patched.headers.get("etag")).toBe('"2"');
    expect((await rest("PATCH", `/qos-profiles/${p.id}`, { priority: 3 }, { "if-match": '"1"' })).status).toBe(412);
  });
});

describe("clusters' editable fields", () => {
  test("a rename or relabel bumps the version; a stale If-Match or expectedVersion gets 412 on PATCH and DELETE", async () => {
    const c = await makeCluster(t.id);
    const got = await rest("GET", `/clusters/${c.id}`);
    expect(got.headers.get("etag")).toBe('"1"');
    const relabelled = await rest("PATCH", `/clusters/${c.id}`, { labels: { env: "prod" } }, { "if-match": '"1"' });
    expect(relabelled.status).toBe(200);
    expect(relabelled.headers.get("etag")).toBe('"2"');
    expect((await rest("PATCH", `/clusters/${c.id}`, { labels: { env: "dev" } }, { "if-match": '"1"' })).status).toBe(412);
    expect((await rest("PATCH", `/clusters/${c.id}`, { labels: { env: "dev" }, expectedVersion: 1 })).status).toBe(412);
    expect(await db().cluster.findUnique({ where: { id: c.id }, select: { labels: true, version: true } })).toEqual({ labels: { env: "prod" }, version: 2 });
    const admin = (await tokenCaller(t, "ADMIN")).token;
    const del = (tag: string) =>
      handleRest(
        new Request(`http://localhost/api/v1/clusters/${c.id}`, { method: "DELETE", headers: { authorization: `Bearer ${admin}`, "if-match": tag } }),
        { createContext },
      );
    expect((await del('"1"')).status).toBe(412);
    expect(await db().cluster.count({ where: { id: c.id } })).toBe(1);
    expect((await del('"2"')).status).toBe(200);
    expect(await db().cluster.count({ where: { id: c.id } })).toBe(0);
  });
});

describe("a slice save racing the deletion of a member cluster", () => {
  test("8 concurrent pairs: no save answers 500, every slice keeps its other members, and their bundles hold the slice", async () => {
    const ctx = tenantCtx(t, "ADMIN");
    const pairs = [];
    for (let i = 0; i < 8; i++) {
      const [a, b, c] = [await makeCluster(t.id), await makeCluster(t.id), await makeCluster(t.id)];
      const spec = { name: `racing-${i}`, subnet: nextSubnet(), members: [a.name, b.name, c.name] };
      const s = await saveSlice(ctx, { spec });
      pairs.push({ a, b, c, s, spec });
    }
    const outcomes = await Promise.all(
      pairs.map(({ c, s, spec }, i) =>
        Promise.all([
          // Half change one field, half save the whole spec they read (which names c).
          outcome(i % 2 ? patchSlice(ctx, s.id, { description: `edited ${i}` }) : saveSlice(ctx, { id: s.id, spec: { ...spec, description: `saved ${i}` } })),
          outcome(deleteCluster(ctx, c.id)),
        ]),
      ),
    );
    for (const [save, del] of outcomes) {
      expect(del).toBe("OK");
      // A whole-spec save that lost the race names a cluster that is gone: a clear 400.
      expect(["OK", "BAD_REQUEST"]).toContain(save);
    }
    await drainOutbox({ tenantId: t.id, now: new Date(Date.now() + 60_000) });
    for (const { a, b, c, s } of pairs) {
      const view = await getSlice(ctx, s.id);
      expect(view.members.map((m) => m.clusterId).sort()).toEqual([a.id, b.id].sort());
      expect(view.spec.members).not.toContain(c.name);
      expect(view.links.map((l) => [l.serverClusterId, l.clientClusterId].sort())).toEqual([[a.id, b.id].sort()]);
      for (const id of [a.id, b.id]) {
        const rev = await db().configRevision.findFirst({ where: { clusterId: id }, orderBy: { revision: "desc" } });
        const slices = (rev!.bundle as { slices: Array<{ id: string; links: Array<{ peer: { clusterId: string } }> }> }).slices;
        expect(slices.map((x) => x.id)).toEqual([s.id]);
        expect(slices[0]!.links.map((l) => l.peer.clusterId)).toEqual([id === a.id ? b.id : a.id]);
      }
    }
    expect(await db().deliveryOutbox.count({ where: { tenantId: t.id } })).toBe(0);
  });
});

describe("a slice save racing the rename of its hub", () => {
  test("8 concurrent pairs: both land, and the spec names the hub by its new name", async () => {
    const ctx = tenantCtx(t, "ADMIN");
    const pairs = [];
    for (let i = 0; i < 8; i++) {
      const [hub, b] = [await makeCluster(t.id), await makeCluster(t.id)];
      const s = await saveSlice(ctx, {
        spec: { name: `hub-race-${i}`, subnet: nextSubnet(), members: [hub.name, b.name], topology: { kind: "HUB_SPOKE", hubs: [hub.name] } },
      });
      pairs.push({ hub, b, s, renamed: `${hub.name}-new` });
    }
    const outcomes = await Promise.all(
      pairs.map(({ hub, s, renamed }, i) =>
        Promise.all([outcome(patchSlice(ctx, s.id, { description: `edited ${i}` })), outcome(updateCluster(ctx, hub.id, { name: renamed }))]),
      ),
    );
    expect(outcomes).toEqual(pairs.map(() => ["OK", "OK"]));
    for (const { s, renamed, b } of pairs) {
      const view = await getSlice(ctx, s.id);
      expect(view.spec.topology).toEqual({ kind: "HUB_SPOKE", hubs: [renamed] });
      expect(view.spec.members).toEqual([renamed, b.name]);
      expect(view.spec.description).toMatch(/^edited/);
    }
  });
});

describe("KubeSlice import", () => {
  test("one conflicting document creates nothing, and the error names the document and field", async () => {
    const ctx = tenantCtx(t, "OPERATOR");
    const [a, b] = [await makeCluster(t.id), await makeCluster(t.id)];
    await saveSlice(ctx, { spec: { name: "already-here", subnet: nextSubnet(), members: [a.name] } });
    const doc = (name: string, subnet: string, qos = "") => `apiVersion: controller.kubeslice.io/v1alpha1
kind: SliceConfig
metadata:
  name: ${name}
spec:
  sliceSubnet: ${subnet}
  maxClusters: 16
  clusters: [${a.name}, ${b.name}]
  sliceGatewayProvider: { sliceGatewayType: OpenVPN, sliceCaType: Local }
  sliceIpamType: Local
${qos}`;
    const yaml = [
      `apiVersion: controller.kubeslice.io/v1alpha1
kind: SliceQoSConfig
metadata:
  name: import-atomic-qos
spec: { queueType: HTB, priority: 2, tcType: BANDWIDTH_CONTROL, bandwidthCeilingKbps: 5000, bandwidthGuaranteedKbps: 1000, dscpClass: AF11 }`,
      doc("imported-fresh", nextSubnet(), "  standardQosProfileName: import-atomic-qos"),
      doc("already-here", nextSubnet()),
    ].join("\n---\n");
    const err = await importSlices(ctx, yaml).then(
      () => null,
      (e: AppError) => e,
    );
    expect(err).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("already-here: metadata.name: is already taken") });
    expect(await db().slice.count({ where: { tenantId: t.id, name: "imported-fresh" } })).toBe(0);
    expect(await db().qosProfile.count({ where: { tenantId: t.id, name: "import-atomic-qos" } })).toBe(0);
    expect(await db().deliveryOutbox.count({ where: { tenantId: t.id } })).toBe(0);
  });
});
