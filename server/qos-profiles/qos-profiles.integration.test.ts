// Tenant QoS profiles: created and changed with field-named errors, referred to by
// slices (whose bundles carry the profile's values), re-delivered when they change,
// undeletable while in use, audited, and invisible to another tenant.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, tenantCtx, tokenCaller, userCaller, type TenantFixture } from "../../test/fixtures";
import { db } from "../platform/db/client";
import { getSlice } from "../slices/list-slices";
import { previewSlice } from "../slices/preview-slice";
import { patchSlice, saveSlice } from "../slices/save-slice";
import { createRequestContext } from "../trpc/context";
import { handleRest } from "../trpc/rest-handler";
import { createQosProfile } from "./create-qos-profile";
import { deleteQosProfile } from "./delete-qos-profile";
import { getQosProfile, listQosProfiles } from "./list-qos-profiles";
import { updateQosProfile } from "./update-qos-profile";

let a: TenantFixture;
let b: TenantFixture;
const gold = { priority: 1, bandwidthCeilingKbps: 20480, bandwidthGuaranteedKbps: 10240, dscpClass: "AF41" as const };

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e: { code?: string }) => e.code ?? String(e),
  );
const revisionCount = (clusterId: string) => db().configRevision.count({ where: { clusterId } });
type BundleSlice = { name: string; qos: unknown };
const bundleSlices = async (clusterId: string) =>
  ((await db().configRevision.findFirst({ where: { clusterId }, orderBy: { revision: "desc" } }))!.bundle as { slices: BundleSlice[] }).slices;

// Slice subnets from 10.200–10.254, clear of the pod ranges test clusters get (10.100+n).
let subnet = 0;
const nextSubnet = () => `10.${200 + (subnet++ % 55)}.0.0/16`;

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant("qos"), makeTenant("qos-b")]);
});

describe("profiles", () => {
  test("create, list and get; the values obey the slice QoS rules, named by field", async () => {
    const ctx = tenantCtx(a, "OPERATOR");
    const p = await createQosProfile(ctx, { name: "gold", description: "Payments", ...gold });
    expect(p).toMatchObject({ id: expect.stringMatching(/^qos_/), name: "gold", description: "Payments", ...gold, slices: [] });
    expect((await listQosProfiles(tenantCtx(a, "VIEWER"))).map((x) => x.name)).toContain("gold");
    expect(await getQosProfile(tenantCtx(a, "VIEWER"), p.id)).toMatchObject({ name: "gold", priority: 1 });

    await expect(createQosProfile(ctx, { name: "x1", ...gold, priority: 8 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      details: { fieldErrors: { priority: ["priority must be at most 7"] } },
    });
    await expect(createQosProfile(ctx, { name: "x2", ...gold, bandwidthGuaranteedKbps: 30000 })).rejects.toMatchObject({
      details: { fieldErrors: { bandwidthGuaranteedKbps: ["bandwidthGuaranteedKbps must not exceed bandwidthCeilingKbps"] } },
    });
    await expect(createQosProfile(ctx, { name: "x3", ...gold, dscpClass: "AF44" as "EF" })).rejects.toMatchObject({
      details: { fieldErrors: { dscpClass: [expect.stringMatching(/^dscpClass must be one of Default, AF11/)] } },
    });
    await expect(createQosProfile(ctx, { name: "Gold", ...gold })).rejects.toMatchObject({
      details: { fieldErrors: { name: [expect.stringMatching(/^name must be a DNS-1123 label/)] } },
    });
    await expect(createQosProfile(ctx, { name: "gold", ...gold })).rejects.toMatchObject({
      code: "CONFLICT",
      details: { fieldErrors: { name: ["is already taken"] } },
    });
    expect(await db().qosProfile.count({ where: { tenantId: a.id, name: { in: ["x1", "x2", "x3", "Gold"] } } })).toBe(0);
    await expect(createQosProfile(tenantCtx(a, "VIEWER"), { name: "viewer-made", ...gold })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  test("a slice refers to a profile by name: stored by id, shown by name with the values it runs with", async () => {
    const ctx = tenantCtx(a, "OPERATOR");
    const p = await createQosProfile(ctx, { name: "silver", ...gold, priority: 3, dscpClass: "AF21" });
    const [x, y] = [await makeCluster(a.id), await makeCluster(a.id)];
    const s = await saveSlice(ctx, { spec: { name: "uses-silver", subnet: nextSubnet(), members: [x.name, y.name], qosProfile: "silver" } });
    expect((await db().slice.findFirstOrThrow({ where: { id: s.id } })).qosProfileId).toBe(p.id);
    const view = await getSlice(ctx, s.id);
    expect(view.spec.qosProfile).toBe("silver");
    expect(view.spec.qos).toBeUndefined();
    expect(view.effectiveQos).toEqual({ profile: "HTB", ...gold, priority: 3, dscpClass: "AF21" });
    expect((await bundleSlices(x.id)).find((sl) => sl.name === "uses-silver")!.qos).toEqual({ profile: "HTB", ...gold, priority: 3, dscpClass: "AF21" });
    expect((await getQosProfile(ctx, p.id)).slices).toEqual([{ id: s.id, name: "uses-silver" }]);

    // Renaming the profile keeps the slice on it and changes no bundle.
    const before = await revisionCount(x.id);
    await updateQosProfile(ctx, p.id, { name: "silver-2" });
    expect((await getSlice(ctx, s.id)).spec.qosProfile).toBe("silver-2");
    expect(await revisionCount(x.id)).toBe(before);
  });

  test("both qos and qosProfile, or a profile that does not exist, are refused by field and change nothing", async () => {
    const ctx = tenantCtx(a, "OPERATOR");
    await createQosProfile(ctx, { name: "bronze", ...gold, priority: 6 });
    const [x, y] = [await makeCluster(a.id), await makeCluster(a.id)];
    const spec = { name: "bad-qos", subnet: nextSubnet(), members: [x.name, y.name] };
    await expect(saveSlice(ctx, { spec: { ...spec, qosProfile: "bronze", qos: gold } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      details: { fieldErrors: { qosProfile: [expect.stringMatching(/^qos and qosProfile are alternatives/)] } },
    });
    await expect(saveSlice(ctx, { spec: { ...spec, qosProfile: "platinum" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      details: { fieldErrors: { qosProfile: ["there is no QoS profile named platinum in this tenant"] } },
    });
    expect((await previewSlice(ctx, { spec: { ...spec, qosProfile: "platinum" } })).fieldErrors.qosProfile).toEqual([
      "there is no QoS profile named platinum in this tenant",
    ]);
    expect(await db().slice.count({ where: { tenantId: a.id, name: "bad-qos" } })).toBe(0);
  });

  test("PATCH: qos and qosProfile replace each other, null clears either", async () => {
    const ctx = tenantCtx(a, "OPERATOR");
    await createQosProfile(ctx, { name: "switchable", ...gold });
    const [x, y] = [await makeCluster(a.id), await makeCluster(a.id)];
    const s = await saveSlice(ctx, { spec: { name: "switches", subnet: nextSubnet(), members: [x.name, y.name], qos: { ...gold, priority: 7 } } });
    await patchSlice(ctx, s.id, { qosProfile: "switchable" });
    expect((await getSlice(ctx, s.id)).spec).toMatchObject({ qosProfile: "switchable" });
    expect((await getSlice(ctx, s.id)).spec.qos).toBeUndefined();
    await patchSlice(ctx, s.id, { qos: { ...gold, priority: 4 } });
    const inline = await getSlice(ctx, s.id);
    expect([inline.spec.qosProfile, inline.effectiveQos?.priority]).toEqual([undefined, 4]);
    await patchSlice(ctx, s.id, { qos: null });
    const none = await getSlice(ctx, s.id);
    expect([none.spec.qos, none.spec.qosProfile, none.effectiveQos]).toEqual([undefined, undefined, null]);
    expect((await bundleSlices(x.id)).find((sl) => sl.name === "switches")!.qos).toBeNull();
  });

  test("changing a profile re-delivers only the clusters whose bundle changed", async () => {
    const ctx = tenantCtx(a, "OPERATOR");
    const p = await createQosProfile(ctx, { name: "redeliver", ...gold });
    const [x, y, z, w] = [await makeCluster(a.id), await makeCluster(a.id), await makeCluster(a.id), await makeCluster(a.id)];
    await saveSlice(ctx, { spec: { name: "on-profile", subnet: nextSubnet(), members: [x.name, y.name], qosProfile: "redeliver" } });
    await saveSlice(ctx, { spec: { name: "also-on-profile", subnet: nextSubnet(), members: [y.name, z.name], qosProfile: "redeliver" } });
    await saveSlice(ctx, { spec: { name: "inline-qos", subnet: nextSubnet(), members: [z.name, w.name], qos: gold } });
    const count = async () =>
      Object.fromEntries(await Promise.all(Object.entries({ x, y, z, w }).map(async ([k, c]) => [k, await revisionCount(c.id)] as const)));
    const before = await count();

    // A description changes no bundle: nothing is published.
    await updateQosProfile(ctx, p.id, { description: "now described" });
    expect(await count()).toEqual(before);

    const res = await updateQosProfile(ctx, p.id, { priority: 2, bandwidthCeilingKbps: 40960 });
    expect(res).toMatchObject({ priority: 2, bandwidthCeilingKbps: 40960, description: "now described" });
    expect(Object.keys(res.revisions).sort()).toEqual([x.id, y.id, z.id].sort());
    // x, y and z are members of slices on the profile; w is only in the inline one.
    expect(await count()).toEqual({ x: before.x + 1, y: before.y + 1, z: before.z + 1, w: before.w });
    const expected = { profile: "HTB", ...gold, priority: 2, bandwidthCeilingKbps: 40960 };
    expect((await bundleSlices(y.id)).map((s) => [s.name, s.qos])).toEqual([
      ["also-on-profile", expected],
      ["on-profile", expected],
    ]);
    expect((await bundleSlices(z.id)).find((s) => s.name === "inline-qos")!.qos).toEqual({ profile: "HTB", ...gold });

    // The merged values must still hold guaranteed ≤ ceiling; a refused change changes nothing.
    await expect(updateQosProfile(ctx, p.id, { bandwidthGuaranteedKbps: 50000 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      details: { fieldErrors: { bandwidthGuaranteedKbps: ["bandwidthGuaranteedKbps must not exceed bandwidthCeilingKbps"] } },
    });
    expect((await getQosProfile(ctx, p.id)).bandwidthGuaranteedKbps).toBe(gold.bandwidthGuaranteedKbps);
    expect(await count()).toEqual({ x: before.x + 1, y: before.y + 1, z: before.z + 1, w: before.w });
  });

  test("a profile in use cannot be deleted, and the error names the slices; unused, it can; every change is audited", async () => {
    const ctx = tenantCtx(a, "OPERATOR");
    const p = await createQosProfile(ctx, { name: "in-use", ...gold });
    const [x, y] = [await makeCluster(a.id), await makeCluster(a.id)];
    const s1 = await saveSlice(ctx, { spec: { name: "holder-b", subnet: nextSubnet(), members: [x.name, y.name], qosProfile: "in-use" } });
    const s2 = await saveSlice(ctx, { spec: { name: "holder-a", subnet: nextSubnet(), members: [x.name, y.name], qosProfile: "in-use" } });
    await expect(deleteQosProfile(ctx, p.id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "QoS profile in-use is used by slices holder-a, holder-b: give them another profile or inline QoS first",
    });
    await patchSlice(ctx, s1.id, { qosProfile: null });
    await expect(deleteQosProfile(ctx, p.id)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("used by slice holder-a:") });
    await patchSlice(ctx, s2.id, { qos: gold });
    await expect(deleteQosProfile(tenantCtx(a, "VIEWER"), p.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(deleteQosProfile(ctx, p.id)).resolves.toEqual({ ok: true });
    expect(await codeOf(getQosProfile(ctx, p.id))).toBe("NOT_FOUND");

    // The database keeps the rule too: a profile a slice points at is not deleted.
    const q = await createQosProfile(ctx, { name: "fk-held", ...gold });
    await db().slice.updateMany({ where: { id: s1.id, tenantId: a.id }, data: { qosProfileId: q.id } });
    await expect(db().qosProfile.deleteMany({ where: { id: q.id, tenantId: a.id } })).rejects.toThrow();

    const audit = await db().auditLog.findMany({ where: { tenantId: a.id, targetId: p.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((r) => r.action)).toEqual(["qos-profile.create", "qos-profile.delete"]);
    expect(audit[1]!.diff).toMatchObject({ name: { from: "in-use", to: null }, priority: { from: 1, to: null } });
  });
});

describe("REST /api/v1/qos-profiles", () => {
  test("POST is 201; GET lists and reads; PATCH changes; DELETE of one in use is 409 naming the slice", async () => {
    const { token } = await tokenCaller(a, "OPERATOR");
    const rest = (method: string, path: string, body?: unknown) => {
      const headers = new Headers({ "content-type": "application/json", authorization: `Bearer ${token}` });
      const req = new Request(`http://localhost/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return handleRest(req, { createContext: (r) => createRequestContext({ headers: r.headers, getSessionUser: async () => null }) });
    };
    const created = await rest("POST", "/qos-profiles", { name: "rest-gold", ...gold });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    expect((await (await rest("GET", "/qos-profiles")).json()).items.map((p: { name: string }) => p.name)).toContain("rest-gold");
    expect(await (await rest("GET", `/qos-profiles/${id}`)).json()).toMatchObject({ id, name: "rest-gold", dscpClass: "AF41", slices: [] });
    const patched = await rest("PATCH", `/qos-profiles/${id}`, { dscpClass: "EF" });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ dscpClass: "EF", revisions: {} });
    const bad = await rest("PATCH", `/qos-profiles/${id}`, { priority: 9 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("priority must be at most 7");

    const [x, y] = [await makeCluster(a.id), await makeCluster(a.id)];
    const slice = await rest("POST", "/slices", { name: "rest-on-profile", subnet: nextSubnet(), members: [x.name, y.name], qosProfile: "rest-gold" });
    expect(slice.status).toBe(200);
    const got = await (await rest("GET", `/slices/${(await slice.json()).id}`)).json();
    expect(got.spec.qosProfile).toBe("rest-gold");
    expect(got.effectiveQos).toEqual({ profile: "HTB", ...gold, dscpClass: "EF" });
    const refused = await rest("DELETE", `/qos-profiles/${id}`);
    expect(refused.status).toBe(409);
    expect((await refused.json()).detail).toContain("used by slice rest-on-profile");
  });
});

describe("another tenant", () => {
  test("cannot see, change, delete or use A's profile: NOT_FOUND, and A's profile is untouched", async () => {
    const p = await createQosProfile(tenantCtx(a), { name: "a-only", ...gold });
    const owner = userCaller(b.owner);
    expect(await codeOf(owner.qosProfiles.get({ tenant: b.slug, id: p.id }))).toBe("NOT_FOUND");
    expect(await codeOf(owner.qosProfiles.update({ tenant: b.slug, id: p.id, priority: 7 }))).toBe("NOT_FOUND");
    expect(await codeOf(owner.qosProfiles.delete({ tenant: b.slug, id: p.id }))).toBe("NOT_FOUND");
    expect(await codeOf(owner.qosProfiles.list({ tenant: a.slug }))).toBe("NOT_FOUND");
    expect((await owner.qosProfiles.list({ tenant: b.slug })).items.map((x) => x.id)).not.toContain(p.id);
    // The services themselves, given B's context, behave the same.
    expect(await codeOf(getQosProfile(tenantCtx(b), p.id))).toBe("NOT_FOUND");
    expect(await codeOf(updateQosProfile(tenantCtx(b), p.id, { priority: 7 }))).toBe("NOT_FOUND");
    expect(await codeOf(deleteQosProfile(tenantCtx(b), p.id))).toBe("NOT_FOUND");

    // Names are per tenant: B's slice naming A's profile finds none.
    const [x, y] = [await makeCluster(b.id), await makeCluster(b.id)];
    await expect(
      saveSlice(tenantCtx(b), { spec: { name: "steals", subnet: nextSubnet(), members: [x.name, y.name], qosProfile: "a-only" } }),
    ).rejects.toMatchObject({
      details: { fieldErrors: { qosProfile: ["there is no QoS profile named a-only in this tenant"] } },
    });
    // Even written straight to the database, a slice cannot point at another tenant's profile.
    const s = await saveSlice(tenantCtx(b), { spec: { name: "b-slice", subnet: nextSubnet(), members: [x.name, y.name] } });
    await expect(db().slice.updateMany({ where: { id: s.id, tenantId: b.id }, data: { qosProfileId: p.id } })).rejects.toThrow();

    expect(await db().qosProfile.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ name: "a-only", priority: 1 });
  });
});
