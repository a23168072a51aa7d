// What a person reads on the console about a slice with one tunnel down: a cluster's
// Gateways tab names each link's peer cluster and slice (never a link id), its
// Components tab explains a "gateway OK" beside a tunnel that is not up, and the
// overview's Recent activity names clusters; "N/M converged" and the slice held back
// lead to the links that are not up. The agents are this test: it sends their
// heartbeats through the service the agent API calls and runs the link evaluation as
// the workers would (no worker runs in the e2e stack).
import { makeLiveCluster, type SiteType } from "./support/clusters";
import { expect, makeTenant, rand, signInViaApi, test } from "./support/fixtures";

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
type Cluster = { id: string; name: string };
const makeCluster = (tenantId: string, name: string, siteType: SiteType, n: number) => makeLiveCluster(tenantId, name, siteType, n);

/** Three clusters in one slice; the edge ↔ cloud tunnel is DOWN, the rest UP; every agent says "gateway OK". */
async function sliceWithOneLinkDown() {
  // First: it points the services at the run's database, before any of them loads.
  const t = await makeTenant("fixes");
  const { db } = await import("../server/platform/db/client");
  const { saveSlice } = await import("../server/slices/save-slice");
  const { recordHeartbeat } = await import("../server/clusters/record-heartbeat");
  const { evaluateLinks } = await import("../server/gateways/evaluate-links");
  const id = rand(2);
  const edge = await makeCluster(t.id, `edge-${id}`, "EDGE", 0);
  const cloud = await makeCluster(t.id, `cloud-${id}`, "CLOUD", 1);
  const dc = await makeCluster(t.id, `dc-${id}`, "ONPREM", 2);
  const ctx = { tenantId: t.id, tenantSlug: t.slug, role: "OWNER" as const, actor: { type: "USER" as const, id: t.owner.id, label: t.owner.email } };
  const slice = await saveSlice(ctx, { spec: { name: `payments-${id}`, subnet: "10.61.0.0/16", members: [edge.name, cloud.name, dc.name] } });
  const links = await db().gatewayLink.findMany({
    where: { tenantId: t.id, sliceId: slice.id },
    select: { id: true, serverClusterId: true, clientClusterId: true },
  });
  const joins = (l: (typeof links)[number], c: Cluster) => l.serverClusterId === c.id || l.clientClusterId === c.id;
  const down = links.find((l) => joins(l, edge) && joins(l, cloud))!;
  const now = Date.now();
  for (const c of [edge, cloud, dc]) {
    const gateways = links
      .filter((l) => joins(l, c))
      .map((l) =>
        l.id === down.id
          ? { linkId: l.id, status: "DOWN", lossPct: 100, rxBps: 0, txBps: 0 }
          : { linkId: l.id, status: "UP", rttMs: 20, lossPct: 0.1, rxBps: 120_000, txBps: 80_000 },
      );
    await recordHeartbeat(
      { credentialId: "e2e", clusterId: c.id, clusterName: c.name, tenantId: t.id, tenantSlug: t.slug, leaseDurationSeconds: 15 },
      {
        seq: 1,
        session: `e2e-session-${c.id}`.slice(0, 60),
        sentAt: new Date(now).toISOString(),
        appliedRevision: 0,
        components: [{ name: "gateway", status: "OK" }],
        gateways,
      },
      { now },
    );
  }
  await evaluateLinks(new Date(now + 100));
  return { t, ctx, edge, cloud, dc, slice: { id: slice.id, name: `payments-${id}` }, links, down };
}

test.describe("console fixes", () => {
  let s: Awaited<ReturnType<typeof sliceWithOneLinkDown>>;
  let t: Tenant;
  test.beforeAll(async () => {
    s = await sliceWithOneLinkDown();
    t = s.t;
  });

  test("a cluster's Gateways tab names each link's peer and slice; its Components tab explains gateway OK beside a tunnel down", async ({ page }) => {
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/clusters/${s.edge.id}?tab=gateways`);
    const table = page.getByRole("table", { name: "Gateway links" });
    await expect(table.locator("tbody tr")).toHaveCount(2);
    const toCloud = table.locator("tbody tr", { hasText: s.cloud.name });
    await expect(toCloud.getByRole("link", { name: s.cloud.name })).toHaveAttribute("href", `/t/${t.slug}/clusters/${s.cloud.id}`);
    await expect(toCloud.getByRole("link", { name: s.slice.name })).toHaveAttribute("href", `/t/${t.slug}/slices/${s.slice.id}`);
    await expect(toCloud).toContainText("Down");
    await expect(table.locator("tbody tr", { hasText: s.dc.name })).toContainText(s.slice.name);
    for (const l of s.links) await expect(table).not.toContainText(l.id);

    await page.getByRole("tab", { name: /Components/ }).click();
    const components = page.getByRole("list", { name: "Components" });
    await expect(components.getByRole("listitem").filter({ hasText: "gateway" })).toContainText(
      "The agent's gateway process runs, but 1 of 2 tunnels is not up: see the Gateways tab.",
    );
  });

  test("overview: Recent activity names clusters; the converged count and the slice held back open its links not up", async ({ page }) => {
    const { updateCluster } = await import("../server/clusters/update-cluster");
    const { writeAudit } = await import("../server/audit/write-audit");
    const { db } = await import("../server/platform/db/client");
    // Changes whose audit rows carry no name: labels only, and the lease marking a cluster unknown.
    await updateCluster(s.ctx, s.edge.id, { labels: { env: "prod" } });
    await db().$transaction((tx) =>
      writeAudit(tx, {
        tenantId: t.id,
        actor: { type: "SYSTEM", label: "lease" },
        action: "cluster.availability",
        targetType: "cluster",
        targetId: s.dc.id,
        before: { availability: "AVAILABLE" },
        after: { availability: "UNKNOWN" },
      }),
    );

    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}`);
    const recent = page.locator("li", { hasText: `updated cluster ${s.edge.name}` });
    await expect(recent).toContainText(t.owner.email);
    await expect(page.locator("li", { hasText: `changed the availability of cluster ${s.dc.name}` })).toContainText("lease");
    await expect(page.locator("li", { hasText: `created slice ${s.slice.name}` })).toHaveCount(1);
    for (const c of [s.edge, s.dc]) await expect(page.locator("main")).not.toContainText(c.id);

    const slices = page.getByRole("region", { name: "Fleet" });
    await expect(slices.getByRole("link", { name: "0 of 1 slices converged: show the links not up" })).toHaveAttribute(
      "href",
      `/t/${t.slug}/gateways?status=NOT_UP`,
    );
    const held = page.getByRole("list", { name: "Slices not converged" }).getByRole("listitem");
    await expect(held).toContainText("1 of 3 links not up");
    await held.getByRole("link", { name: s.slice.name }).click();
    await expect(page).toHaveURL(new RegExp(`/gateways\\?slice=${s.slice.id}&status=NOT_UP$`));
    await expect(page.getByRole("combobox", { name: "Slice" })).toContainText(s.slice.name);
    await expect(page.getByRole("combobox", { name: "Status" })).toContainText("Not UP");
    const rows = page.getByRole("table", { name: "Gateway links" }).locator("tbody tr");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute("data-status", "DOWN");
    await expect(rows.first()).toContainText(s.edge.name);
    await expect(rows.first()).toContainText(s.cloud.name);
  });
});
