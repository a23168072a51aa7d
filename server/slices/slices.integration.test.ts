import { beforeAll, describe, expect, test } from "vitest";
import { makeTenant, tenantCtx, type TenantFixture } from "../../test/fixtures";
import { createQosProfile } from "../qos-profiles/create-qos-profile";
import { makeCluster } from "../../test/clusters";
import { db } from "../platform/db/client";
import { validateManifest } from "../bundles/manifests";
import { deleteCluster } from "../clusters/delete-cluster";
import { updateCluster } from "../clusters/update-cluster";
import { deleteSlice } from "./delete-slice";
import { exportSlice, importSlices } from "../kubeslice/import-export";
import { getSlice, listSlices } from "./list-slices";
import { previewSlice, suggestSliceSubnet } from "./preview-slice";
import { patchSlice, saveSlice } from "./save-slice";

let t: TenantFixture;
const latest = (clusterId: string) => db().configRevision.findFirst({ where: { clusterId }, orderBy: { revision: "desc" } });
const revisionCount = (clusterId: string) => db().configRevision.count({ where: { clusterId } });

beforeAll(async () => {
  t = await makeTenant("slices");
});

describe("slices", () => {
  test("create: members get sticky shares, full-mesh links, and each member a revision with its slice", async () => {
    const [a, b, c] = [
      await makeCluster(t.id, { siteType: "EDGE", behindNat: true }),
      await makeCluster(t.id),
      await makeCluster(t.id, { siteType: "ONPREM" }),
    ];
    const saved = await saveSlice(tenantCtx(t, "OPERATOR"), {
      spec: {
        name: "payments",
        subnet: "10.10.0.0/16",
        members: [a.name, b.name, c.name],
        namespaceIsolation: {
          enabled: true,
          applicationNamespaces: [{ namespace: "pay", clusters: ["*"] }],
          allowedNamespaces: [{ namespace: "monitoring", clusters: ["*"] }],
        },
      },
    });
    expect(Object.keys(saved.revisions).sort()).toEqual([a.id, b.id, c.id].sort());
    const slice = await getSlice(tenantCtx(t, "VIEWER"), saved.id);
    expect(slice.members.map((m) => [m.clusterName, m.index, m.subnet])).toEqual([
      [a.name, 0, "10.10.0.0/21"],
      [b.name, 1, "10.10.8.0/21"],
      [c.name, 2, "10.10.16.0/21"],
    ]);
    expect(slice.links).toHaveLength(3);
    // The NATed edge cluster is always the client.
    for (const l of slice.links.filter((l) => [l.serverClusterId, l.clientClusterId].includes(a.id))) expect(l.clientClusterId).toBe(a.id);

    const rev = await latest(a.id);
    const bundle = rev!.bundle as {
      slices: Array<{ name: string; subnet: string; links: Array<{ role: string; peer: { endpoint: string | null } }> }>;
      manifests: unknown[];
    };
    expect(bundle.slices[0]).toMatchObject({ name: "payments", subnet: "10.10.0.0/21" });
    expect(bundle.slices[0]!.links.every((l) => l.role === "client" && l.peer.endpoint)).toBe(true);
    expect(bundle.manifests.length).toBeGreaterThan(0);
    for (const m of bundle.manifests) expect(validateManifest(m)).toEqual({ valid: true, errors: [] });
  });

  test("a membership change makes revisions only for the clusters whose bundle changed", async () => {
    const [a, b, c, d] = [await makeCluster(t.id), await makeCluster(t.id), await makeCluster(t.id), await makeCluster(t.id)];
    const ctx = tenantCtx(t, "OPERATOR");
    // Hub-spoke through a: adding d changes a (new link) and d, not b or c.
    const s = await saveSlice(ctx, {
      spec: { name: "hubby", subnet: "10.20.0.0/16", members: [a.name, b.name, c.name], topology: { kind: "HUB_SPOKE", hubs: [a.name] } },
    });
    const before = { b: await revisionCount(b.id), c: await revisionCount(c.id), a: await revisionCount(a.id) };
    const upd = await patchSlice(ctx, s.id, { members: [a.name, b.name, c.name, d.name] });
    expect(Object.keys(upd.revisions).sort()).toEqual([a.id, b.id, c.id, d.id].sort());
    expect(await revisionCount(b.id)).toBe(before.b);
    expect(await revisionCount(c.id)).toBe(before.c);
    expect(await revisionCount(a.id)).toBe(before.a + 1);
    const view = await getSlice(ctx, s.id);
    expect(view.members.find((m) => m.clusterId === d.id)?.index).toBe(3);

    // Removing b frees index 1; the next member takes it, others keep theirs.
    const e = await makeCluster(t.id);
    await patchSlice(ctx, s.id, { members: [a.name, c.name, d.name] });
    await patchSlice(ctx, s.id, { members: [a.name, c.name, d.name, e.name] });
    const after = await getSlice(ctx, s.id);
    expect(Object.fromEntries(after.members.map((m) => [m.clusterName, m.index]))).toEqual({ [a.name]: 0, [c.name]: 2, [d.name]: 3, [e.name]: 1 });
    const bBundle = (await latest(b.id))!.bundle as { slices: unknown[] };
    expect(bBundle.slices).toEqual([]);
  });

  test("links keep their ids while both ends stay members", async () => {
    const [a, b, c] = [await makeCluster(t.id), await makeCluster(t.id), await makeCluster(t.id)];
    const ctx = tenantCtx(t, "ADMIN");
    const s = await saveSlice(ctx, { spec: { name: "stable", subnet: "10.30.0.0/16", members: [a.name, b.name] } });
    const [ab] = (await getSlice(ctx, s.id)).links;
    await patchSlice(ctx, s.id, { members: [a.name, b.name, c.name] });
    expect((await getSlice(ctx, s.id)).links.map((l) => l.id)).toContain(ab!.id);
  });

  test("bad input is refused by field and changes nothing", async () => {
    const [a, b] = [await makeCluster(t.id, { podCidrs: ["10.40.0.0/16"] }), await makeCluster(t.id, { behindNat: true })];
    const nat2 = await makeCluster(t.id, { behindNat: true });
    const ctx = tenantCtx(t, "OPERATOR");
    const slicesBefore = await db().slice.count({ where: { tenantId: t.id } });
    await expect(saveSlice(ctx, { spec: { name: "x1", subnet: "10.40.0.0/16", members: [a.name, b.name] } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      details: { fieldErrors: { subnet: [expect.stringContaining(`pod CIDR 10.40.0.0/16 of cluster ${a.name}`)] } },
    });
    await expect(saveSlice(ctx, { spec: { name: "x2", subnet: "8.8.0.0/16", members: [] } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("subnet"),
    });
    await expect(saveSlice(ctx, { spec: { name: "x3", subnet: "10.41.0.0/16", members: [b.name, nat2.name] } })).rejects.toMatchObject({
      details: { fieldErrors: { topology: [expect.stringMatching(/NAT/)] } },
    });
    await expect(saveSlice(ctx, { spec: { name: "x4", subnet: "10.42.0.0/16", members: ["no-such-cluster"] } })).rejects.toMatchObject({
      details: { fieldErrors: { members: [expect.stringContaining("no-such-cluster")] } },
    });
    expect(await db().slice.count({ where: { tenantId: t.id } })).toBe(slicesBefore);
  });

  test("immutable fields cannot change, and say so by field", async () => {
    const [a, b] = [await makeCluster(t.id), await makeCluster(t.id)];
    const ctx = tenantCtx(t, "OPERATOR");
    const s = await saveSlice(ctx, { spec: { name: "fixed", subnet: "10.50.0.0/16", members: [a.name, b.name] } });
    await expect(patchSlice(ctx, s.id, { subnet: "10.51.0.0/16", gatewayType: "WIREGUARD" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      details: { fieldErrors: { subnet: expect.any(Array), gatewayType: expect.any(Array) } },
    });
    await expect(patchSlice(ctx, s.id, { description: "now described" })).resolves.toMatchObject({ id: s.id });
  });

  test("a change involving an unavailable cluster is refused, naming it, unless forced", async () => {
    const a = await makeCluster(t.id);
    const down = await makeCluster(t.id, { availability: "UNKNOWN" });
    const ctx = tenantCtx(t, "OPERATOR");
    await expect(saveSlice(ctx, { spec: { name: "offline", subnet: "10.60.0.0/16", members: [a.name, down.name] } })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining(`${down.name} (unknown)`),
    });
    await expect(saveSlice(ctx, { force: true, spec: { name: "offline", subnet: "10.60.0.0/16", members: [a.name, down.name] } })).resolves.toMatchObject({
      name: "offline",
    });
  });

  test("viewers read but cannot change slices; every change is audited", async () => {
    const a = await makeCluster(t.id);
    await expect(saveSlice(tenantCtx(t, "VIEWER"), { spec: { name: "nope", subnet: "10.70.0.0/16", members: [a.name] } })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const s = await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: "audited", subnet: "10.70.0.0/16", members: [a.name] } });
    await deleteSlice(tenantCtx(t, "OPERATOR"), s.id);
    const actions = (await db().auditLog.findMany({ where: { tenantId: t.id, targetId: s.id }, orderBy: { createdAt: "asc" } })).map((r) => r.action);
    expect(actions).toEqual(["slice.create", "slice.delete"]);
    expect((await listSlices(tenantCtx(t, "VIEWER"))).some((x) => x.id === s.id)).toBe(false);
  });

  test("preview reports problems without writing; subnet suggestion avoids what is taken", async () => {
    const a = await makeCluster(t.id, { podCidrs: ["10.0.0.0/16"] });
    const ctx = tenantCtx(t, "VIEWER");
    const p = await previewSlice(ctx, { spec: { name: "pv", subnet: "10.0.0.0/16", members: [a.name] } });
    expect(p.fieldErrors.subnet?.[0]).toContain("overlaps");
    const { subnet } = await suggestSliceSubnet(ctx);
    const taken = (await db().slice.findMany({ where: { tenantId: t.id }, select: { subnet: true } })).map((s) => s.subnet);
    expect(taken).not.toContain(subnet);
    expect(subnet).not.toBe("10.0.0.0/16");
  });

  test("KubeSlice import creates slices from clusters named in the YAML, and export round-trips", async () => {
    const [w1, w2] = [
      await makeCluster(t.id, { name: `worker-${Date.now() % 100000}-1` }),
      await makeCluster(t.id, { name: `worker-${Date.now() % 100000}-2` }),
    ];
    const yaml = `apiVersion: controller.kubeslice.io/v1alpha1
kind: SliceConfig
metadata:
  name: imported
spec:
  sliceSubnet: 10.80.0.0/16
  maxClusters: 8
  sliceGatewayProvider:
    sliceGatewayType: Wireguard
    sliceCaType: Local
  sliceIpamType: Local
  clusters: [${w1.name}, ${w2.name}]
  qosProfileDetails:
    queueType: HTB
    priority: 1
    tcType: BANDWIDTH_CONTROL
    bandwidthCeilingKbps: 5120
    bandwidthGuaranteedKbps: 2560
    dscpClass: AF11
`;
    const res = await importSlices(tenantCtx(t, "OPERATOR"), yaml);
    expect(res.slices.map((s) => s.name)).toEqual(["imported"]);
    const view = await getSlice(tenantCtx(t, "VIEWER"), res.slices[0]!.id);
    expect(view.spec).toMatchObject({
      subnet: "10.80.0.0/16",
      maxClusters: 8,
      gatewayType: "WIREGUARD",
      qos: { priority: 1, bandwidthCeilingKbps: 5120, dscpClass: "AF11" },
    });
    const out = await exportSlice(tenantCtx(t, "VIEWER"), res.slices[0]!.id);
    expect(out.yaml).toContain("sliceSubnet: 10.80.0.0/16");
    expect(out.yaml).toContain(w1.name);
    // An unknown cluster fails the whole import, and nothing is created.
    await expect(importSlices(tenantCtx(t, "OPERATOR"), yaml.replace("imported", "imported-2").replace(w2.name, "ghost"))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("ghost"),
    });
    expect(await db().slice.count({ where: { tenantId: t.id, name: "imported-2" } })).toBe(0);
  });

  test("KubeSlice import: a SliceQoSConfig becomes a tenant QoS profile (reused when equal), and export brings it back", async () => {
    const [w1, w2] = [await makeCluster(t.id), await makeCluster(t.id)];
    const ctx = tenantCtx(t, "OPERATOR");
    const qosDoc = (name: string, priority: number) => `apiVersion: controller.kubeslice.io/v1alpha1
kind: SliceQoSConfig
metadata:
  name: ${name}
spec:
  queueType: HTB
  priority: ${priority}
  tcType: BANDWIDTH_CONTROL
  bandwidthCeilingKbps: 8192
  bandwidthGuaranteedKbps: 4096
  dscpClass: AF31
`;
    const sliceDoc = (name: string, subnet: string, profile: string) => `apiVersion: controller.kubeslice.io/v1alpha1
kind: SliceConfig
metadata:
  name: ${name}
spec:
  sliceSubnet: ${subnet}
  clusters: [${w1.name}, ${w2.name}]
  standardQosProfileName: ${profile}
`;
    const first = await importSlices(ctx, `${qosDoc("imp-gold", 2)}---\n${sliceDoc("on-imp-gold", "10.81.0.0/16", "imp-gold")}`);
    expect(first.qosProfiles).toEqual([{ id: expect.stringMatching(/^qos_/), name: "imp-gold", created: true }]);
    const view = await getSlice(ctx, first.slices[0]!.id);
    expect(view.spec.qosProfile).toBe("imp-gold");
    expect(view.effectiveQos).toEqual({ profile: "HTB", priority: 2, bandwidthCeilingKbps: 8192, bandwidthGuaranteedKbps: 4096, dscpClass: "AF31" });

    // The same SliceQoSConfig again: the profile is reused, not duplicated.
    const second = await importSlices(ctx, `${qosDoc("imp-gold", 2)}---\n${sliceDoc("also-imp-gold", "10.82.0.0/16", "imp-gold")}`);
    expect(second.qosProfiles).toEqual([{ id: first.qosProfiles[0]!.id, name: "imp-gold", created: false }]);
    expect(await db().qosProfile.count({ where: { tenantId: t.id, name: "imp-gold" } })).toBe(1);

    // The same name with other values fails the import, naming the document; nothing is created.
    await expect(importSlices(ctx, `${qosDoc("imp-gold", 5)}---\n${sliceDoc("clashing", "10.83.0.0/16", "imp-gold")}`)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      details: { fieldErrors: { yaml: ["imp-gold: spec: this tenant already has a QoS profile named imp-gold with other values: priority 2 (here 5)"] } },
    });
    expect(await db().slice.count({ where: { tenantId: t.id, name: "clashing" } })).toBe(0);

    // A name that is not in the text but is a profile of the tenant works too; an unknown one does not.
    await createQosProfile(ctx, { name: "made-here", priority: 0, bandwidthCeilingKbps: 1000, bandwidthGuaranteedKbps: 0, dscpClass: "EF" });
    const third = await importSlices(ctx, sliceDoc("on-made-here", "10.84.0.0/16", "made-here"));
    expect((await getSlice(ctx, third.slices[0]!.id)).spec.qosProfile).toBe("made-here");
    await expect(importSlices(ctx, sliceDoc("on-nothing", "10.85.0.0/16", "nothing"))).rejects.toMatchObject({
      message: expect.stringContaining(
        "on-nothing: spec.standardQosProfileName: spec.standardQosProfileName refers to SliceQoSConfig nothing, which is neither in this import nor a QoS profile of this tenant",
      ),
    });

    // Export carries the profile; imported into another tenant, it recreates both.
    const out = await exportSlice(tenantCtx(t, "VIEWER"), first.slices[0]!.id);
    expect(out.yaml.startsWith("apiVersion: controller.kubeslice.io/v1alpha1\nkind: SliceQoSConfig\nmetadata:\n  name: imp-gold\n")).toBe(true);
    expect(out.yaml).toContain("standardQosProfileName: imp-gold");
    const other = await makeTenant("slices-other");
    await makeCluster(other.id, { name: w1.name });
    await makeCluster(other.id, { name: w2.name });
    const moved = await importSlices(tenantCtx(other, "OPERATOR"), out.yaml);
    expect(moved.qosProfiles.map((p) => [p.name, p.created])).toEqual([["imp-gold", true]]);
    expect((await getSlice(tenantCtx(other), moved.slices[0]!.id)).effectiveQos).toEqual(view.effectiveQos);
  });

  test("renaming a hub cluster rewrites the slice spec and republishes its members' bundles", async () => {
    const [hub, b] = [await makeCluster(t.id), await makeCluster(t.id)];
    const ctx = tenantCtx(t, "ADMIN");
    const s = await saveSlice(ctx, {
      spec: { name: "renamed-hub", subnet: "10.90.0.0/16", members: [hub.name, b.name], topology: { kind: "HUB_SPOKE", hubs: [hub.name] } },
    });
    const before = await revisionCount(b.id);
    await updateCluster(ctx, hub.id, { name: "new-hub-name" });
    const view = await getSlice(ctx, s.id);
    expect(view.spec.topology).toEqual({ kind: "HUB_SPOKE", hubs: ["new-hub-name"] });
    expect(view.spec.members).toContain("new-hub-name");
    expect(await revisionCount(b.id)).toBe(before + 1);
    const bundle = (await latest(b.id))!.bundle as { slices: Array<{ links: Array<{ peer: { name: string } }> }> };
    expect(bundle.slices[0]!.links[0]!.peer.name).toBe("new-hub-name");
  });

  test("deleting a member cluster re-plans its slices: peers lose the links to it", async () => {
    const [a, b, c] = [await makeCluster(t.id), await makeCluster(t.id), await makeCluster(t.id)];
    const ctx = tenantCtx(t, "ADMIN");
    const s = await saveSlice(ctx, {
      spec: { name: "loses-one", subnet: "10.91.0.0/16", members: [a.name, b.name, c.name], topology: { kind: "HUB_SPOKE", hubs: [a.name] } },
    });
    await deleteCluster(ctx, a.id);
    const view = await getSlice(ctx, s.id);
    expect(view.members.map((m) => m.clusterName).sort()).toEqual([b.name, c.name].sort());
    // Its only hub is gone: the slice falls back to a full mesh between the rest.
    expect(view.spec.topology).toEqual({ kind: "FULL_MESH" });
    expect(view.links.map((l) => [l.serverClusterId, l.clientClusterId].sort())).toEqual([[b.id, c.id].sort()]);
    const bundle = (await latest(b.id))!.bundle as { slices: Array<{ links: Array<{ peer: { clusterId: string } }> }> };
    expect(bundle.slices[0]!.links.map((l) => l.peer.clusterId)).toEqual([c.id]);
    expect(await db().gatewayLink.count({ where: { OR: [{ serverClusterId: a.id }, { clientClusterId: a.id }] } })).toBe(0);
  });
});
