import { describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx, userCaller } from "../../test/fixtures";
import { recordHeartbeat } from "../clusters/record-heartbeat";
import { evaluateLinks } from "../gateways/evaluate-links";
import { db } from "../platform/db/client";
import { saveSlice } from "../slices/save-slice";
import { getFleetOverview } from "./get-fleet-overview";

describe("fleet overview", () => {
  test("counts clusters per site type and availability, and recent warnings, for this tenant only", async () => {
    const t = await makeTenant("ov");
    const other = await makeTenant("ov-other");
    await makeCluster(t.id, { siteType: "EDGE" });
    await makeCluster(t.id, { siteType: "EDGE", availability: "UNKNOWN" });
    const c = await makeCluster(t.id, { siteType: "ONPREM" });
    await makeCluster(other.id, { siteType: "CLOUD" });
    await db().cluster.update({ where: { id: c.id }, data: { desiredRevision: 2, appliedRevision: 2 } });
    await db().event.create({ data: { tenantId: t.id, clusterId: c.id, type: "cluster.unknown", severity: "WARNING", message: "missed 3 leases" } });
    const o = await getFleetOverview(tenantCtx(t, "VIEWER"));
    expect(o.clusters).toMatchObject({ total: 3, available: 2, unknown: 1, pending: 0, converged: 1 });
    expect(o.clusters.sites).toEqual([
      { siteType: "EDGE", total: 2, AVAILABLE: 1, UNKNOWN: 1, PENDING: 0 },
      { siteType: "CLOUD", total: 0, AVAILABLE: 0, UNKNOWN: 0, PENDING: 0 },
      { siteType: "ONPREM", total: 1, AVAILABLE: 1, UNKNOWN: 0, PENDING: 0 },
    ]);
    expect(o.warnings.map((w) => w.message)).toEqual(["missed 3 leases"]);
    expect(o.slices).toEqual({ total: 0, converged: 0, linksUp: 0, links: 0, notConverged: [] });
  });

  test("a slice with a DOWN link is not converged, and the gateways filter it links to lists exactly its links not up", async () => {
    const t = await makeTenant("ovdown");
    const [a, b, c] = [await makeCluster(t.id), await makeCluster(t.id), await makeCluster(t.id)];
    const slice = await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: `pay-${rand()}`, subnet: "10.81.0.0/16", members: [a.name, b.name, c.name] } });
    const links = await db().gatewayLink.findMany({
      where: { tenantId: t.id, sliceId: slice.id },
      select: { id: true, serverClusterId: true, clientClusterId: true },
    });
    const ends = (l: (typeof links)[number]) => [l.serverClusterId, l.clientClusterId];
    const broken = links.find((l) => ends(l).includes(a.id) && ends(l).includes(b.id))!;
    const now = Date.now();
    for (const cl of [a, b, c]) {
      const gateways = links
        .filter((l) => ends(l).includes(cl.id))
        .map((l) => ({ linkId: l.id, status: l.id === broken.id ? "DOWN" : "UP", rttMs: 20, lossPct: 0, rxBps: 1, txBps: 1 }));
      await recordHeartbeat(
        { credentialId: `c-${rand()}`, clusterId: cl.id, clusterName: cl.name, tenantId: t.id, tenantSlug: t.slug, leaseDurationSeconds: 15 },
        { seq: 1, session: `s-${cl.id}`.slice(0, 60), sentAt: new Date(now).toISOString(), appliedRevision: 0, components: [], gateways },
        { now },
      );
    }
    await evaluateLinks(new Date(now + 1000));

    const o = await getFleetOverview(tenantCtx(t, "VIEWER"));
    expect(o.slices).toMatchObject({ total: 1, converged: 0, linksUp: 2, links: 3 });
    expect(o.slices.notConverged).toEqual([expect.objectContaining({ id: slice.id, linksUp: 2, links: 3 })]);

    // The overview links the slice to /gateways?slice=<id>&status=NOT_UP: the page's two queries.
    const viewer = userCaller(t.members.VIEWER);
    const listed = await viewer.gateways.list({ tenant: t.slug, sliceId: slice.id, status: "NOT_UP" });
    expect(listed.items.map((l) => [l.id, l.status])).toEqual([[broken.id, "DOWN"]]);
    expect(listed.items[0]!.ends.map((e) => e.clusterName).sort()).toEqual([a.name, b.name].sort());
    const drawn = await viewer.gateways.mapLinks({ tenant: t.slug, sliceId: slice.id, status: "NOT_UP" });
    expect(drawn.items.map((l) => l.id)).toEqual([broken.id]);
    // Without the filter all three are there; the UP ones are what NOT_UP left out.
    expect((await viewer.gateways.list({ tenant: t.slug, sliceId: slice.id })).items).toHaveLength(3);
  });
});
