import { describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, tenantCtx } from "../../test/fixtures";
import { db } from "../platform/db/client";
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
});
