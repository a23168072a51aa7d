// Availability warnings: lease evaluation waits one lease after the control plane comes
// back before marking a silent cluster, and a cluster that heartbeats again resolves its
// "UNKNOWN" warning, which then leaves the overview's open warnings (it stays in the
// cluster's history).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, tenantCtx, type TenantFixture } from "../../test/fixtures";
import { db } from "../platform/db/client";
import { getFleetOverview } from "../overview/get-fleet-overview";
import { evaluateLeases } from "./evaluate-leases";
import { flushClusterState } from "./flush-cluster-state";
import { recordHeartbeat } from "./record-heartbeat";

let t: TenantFixture;
beforeAll(async () => {
  t = await makeTenant("warnings");
});
afterAll(async () => {
  await db().cluster.deleteMany({ where: { tenantId: t.id } });
});

async function silentFor(ms: number, lease = 15) {
  const c = await makeCluster(t.id);
  await db().cluster.update({ where: { id: c.id }, data: { leaseDurationSeconds: lease, lastSeenAt: new Date(Date.now() - ms) } });
  return c;
}
const availability = async (id: string) => (await db().cluster.findUniqueOrThrow({ where: { id }, select: { availability: true } })).availability;

describe("lease evaluation after the control plane comes back", () => {
  it("marks nothing until one lease has passed since it resumed, then marks the silent cluster", async () => {
    const c = await silentFor(3600_000);
    const resumed = new Date();
    const during = await evaluateLeases(new Date(resumed.getTime() + 14_000), { tenantId: t.id, graceSince: resumed });
    expect(during.unknown).toEqual([]);
    expect(during.inGrace).toBe(1);
    expect(await availability(c.id)).toBe("AVAILABLE");

    const after = await evaluateLeases(new Date(resumed.getTime() + 15_000), { tenantId: t.id, graceSince: resumed });
    expect(after.unknown).toEqual([c.id]);
    expect(await availability(c.id)).toBe("UNKNOWN");
  });
});

describe("a cluster that comes back", () => {
  it("resolves its UNKNOWN warning: the overview shows it while open and not after", async () => {
    const c = await silentFor(3600_000);
    const other = await silentFor(3600_000);
    await evaluateLeases(new Date(), { tenantId: t.id });
    const open = async () => (await getFleetOverview(tenantCtx(t, "VIEWER"))).warnings.filter((w) => w.type === "cluster.unknown").map((w) => w.clusterId);
    expect(await open()).toEqual(expect.arrayContaining([c.id, other.id]));

    // Its agent heartbeats again; a flush (this one, or another test file's) makes it AVAILABLE.
    const cluster = await db().cluster.findUniqueOrThrow({ where: { id: c.id } });
    const agent = { credentialId: "cred", clusterId: c.id, clusterName: cluster.name, tenantId: t.id, tenantSlug: t.slug, leaseDurationSeconds: 15 };
    await recordHeartbeat(agent, { seq: 1, sentAt: new Date().toISOString(), appliedRevision: 0, components: [{ name: "agent", status: "OK" }], gateways: [] });
    await expect.poll(async () => (await flushClusterState(), availability(c.id)), { timeout: 15_000, interval: 100 }).toBe("AVAILABLE");

    const remaining = await open();
    expect(remaining).not.toContain(c.id);
    // The other cluster is still silent: its warning stays open.
    expect(remaining).toContain(other.id);
    // History keeps both events of the cluster that came back, the warning marked resolved.
    const history = await db().event.findMany({
      where: { tenantId: t.id, clusterId: c.id },
      orderBy: { createdAt: "asc" },
      select: { type: true, resolvedAt: true },
    });
    expect(history.map((e) => [e.type, e.resolvedAt !== null])).toEqual([
      ["cluster.unknown", true],
      ["cluster.available", false],
    ]);
  });
});
