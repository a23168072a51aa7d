// A cluster's bundle holds only the objects whose namespace exists there, as its agent
// reported; a namespace appearing later brings its objects in a new revision.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant, tenantCtx, type TenantFixture } from "../../test/fixtures";
import { enrol, heartbeat, startTestApi, type TestApi } from "../agent-api/test-helpers";
import { flushClusterState } from "../clusters/flush-cluster-state";
import { drainOutbox } from "../rollouts/outbox";
import { db } from "../platform/db/client";
import { saveSlice } from "./save-slice";

let api: TestApi;
let t: TenantFixture;
beforeAll(async () => {
  t = await makeTenant("ns");
  api = await startTestApi();
});
afterAll(() => api.api.close());

const latestManifests = async (clusterId: string) => {
  const rev = await db().configRevision.findFirst({ where: { tenantId: t.id, clusterId }, orderBy: { revision: "desc" } });
  return ((rev?.bundle as { manifests: Array<{ metadata: { name: string; namespace: string } }> }).manifests ?? []).map(
    (m) => `${m.metadata.namespace}/${m.metadata.name}`,
  );
};

describe("namespaces a cluster reports", () => {
  test("only policies for namespaces that exist are sent; a namespace created later brings its own", async () => {
    const known = await enrol(api, t, { namespaces: ["default", "shop"] });
    const unknown = await enrol(api, t);
    const names = await db().cluster.findMany({
      where: { tenantId: t.id, id: { in: [known.clusterId, unknown.clusterId] } },
      select: { id: true, name: true, reportedNamespaces: true },
    });
    expect(names.find((c) => c.id === known.clusterId)!.reportedNamespaces).toEqual(["default", "shop"]);
    expect(names.find((c) => c.id === unknown.clusterId)!.reportedNamespaces).toBeNull();

    await saveSlice(tenantCtx(t, "OPERATOR"), {
      spec: {
        name: "iso",
        subnet: "10.30.0.0/16",
        members: names.map((c) => c.name),
        namespaceIsolation: {
          enabled: true,
          applicationNamespaces: [
            { namespace: "shop", clusters: ["*"] },
            { namespace: "payments", clusters: ["*"] },
          ],
          allowedNamespaces: [],
        },
      },
    });
    await drainOutbox({ tenantId: t.id, now: new Date(Date.now() + 60_000) });
    expect(await latestManifests(known.clusterId)).toEqual(["shop/isthmus-iso-allow-slice", "shop/isthmus-iso-default-deny-ingress"]);
    // Not known: everything is sent (the agent reports the absent ones as skipped).
    expect(await latestManifests(unknown.clusterId)).toHaveLength(4);

    // The team creates "payments"; the agent's next inventory says so.
    const res = await api.call("POST", "/heartbeat", {
      credential: known.credential,
      body: heartbeat(1, { inventory: { namespaces: ["default", "payments", "shop"] } }),
    });
    expect(res.status).toBe(200);
    await flushClusterState();
    await expect
      .poll(async () => (await db().cluster.findFirst({ where: { tenantId: t.id, id: known.clusterId } }))!.reportedNamespaces, {
        timeout: 10_000,
        interval: 50,
      })
      .toEqual(["default", "payments", "shop"]);
    await drainOutbox({ tenantId: t.id, now: new Date(Date.now() + 60_000) });
    expect(await latestManifests(known.clusterId)).toEqual([
      "payments/isthmus-iso-allow-slice",
      "payments/isthmus-iso-default-deny-ingress",
      "shop/isthmus-iso-allow-slice",
      "shop/isthmus-iso-default-deny-ingress",
    ]);
  });
});
