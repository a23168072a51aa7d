// Gateways in the console: the overview shows an edge site degrade when its simulated
// agent injects loss on its tunnels, then recover; a link's 24 h charts render under the
// console's CSP; an alert appears and is acknowledged. The "agents" are this test: it
// sends their heartbeats through the service the agent API calls, and runs the link
// evaluation and alert jobs as the workers would (no worker runs in the e2e stack).
import { expect, makeTenant, rand, signInViaApi, test } from "./support/fixtures";

type Sample = { linkId: string; status: "UP" | "DOWN"; rttMs?: number; lossPct: number; rxBps: number; txBps: number };

test("an edge site degrades under injected loss and recovers; a link's charts render; an alert is acknowledged", async ({ page }) => {
  test.setTimeout(120_000);
  const tenant = await makeTenant("gateways");
  const { db } = await import("../server/platform/db/client");
  const { saveSlice } = await import("../server/slices/save-slice");
  const { recordHeartbeat } = await import("../server/clusters/record-heartbeat");
  const { evaluateLinks } = await import("../server/gateways/evaluate-links");
  const { flushMinutes } = await import("../server/gateways/flush-minutes");
  const { sampleSpool } = await import("../server/gateways/sample-spool");
  const { evaluateAlerts } = await import("../server/alerts/evaluate-alerts");

  const names = { EDGE: `edge-${rand(2)}`, CLOUD: `cloud-${rand(2)}`, ONPREM: `dc-${rand(2)}` } as const;
  // Where each site is on the world map (far apart: one marker each).
  const PLACES = {
    EDGE: { latitude: 53.3, longitude: -6.3 },
    CLOUD: { latitude: 38.9, longitude: -77.4 },
    ONPREM: { latitude: 1.3, longitude: 103.9 },
  } as const;
  const clusters: Record<string, string> = {};
  let n = 0;
  for (const [siteType, name] of Object.entries(names)) {
    n++;
    const c = await db().cluster.create({
      data: {
        tenantId: tenant.id,
        name,
        uid: `uid-${rand(8)}`,
        siteType: siteType as "EDGE",
        region: siteType === "EDGE" ? "eu-west" : "us-east",
        ...PLACES[siteType as keyof typeof PLACES],
        availability: "AVAILABLE",
        podCidrs: [`10.${150 + n}.0.0/16`],
        serviceCidrs: [`172.30.${n}.0/24`],
        gatewayEndpoints: siteType === "EDGE" ? [] : [`gw-${n}.example.net:51820`],
        behindNat: siteType === "EDGE",
        kubernetesVersion: "v1.31.2",
        cni: "cilium",
        nodeCount: 3,
        lastSeenAt: new Date(),
      },
    });
    clusters[name] = c.id;
  }
  // A site without coordinates: listed, not on the map.
  await db().cluster.create({
    data: {
      tenantId: tenant.id,
      name: `lab-${rand(2)}`,
      uid: `uid-${rand(8)}`,
      siteType: "ONPREM",
      availability: "AVAILABLE",
      podCidrs: ["10.160.0.0/16"],
      serviceCidrs: ["172.30.9.0/24"],
      gatewayEndpoints: [],
      behindNat: true,
      kubernetesVersion: "v1.31.2",
      cni: "cilium",
      nodeCount: 1,
      lastSeenAt: new Date(),
    },
  });
  const ctx = {
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    role: "OWNER" as const,
    actor: { type: "USER" as const, id: tenant.owner.id, label: tenant.owner.email },
  };
  const slice = await saveSlice(ctx, { spec: { name: `mesh-${rand(2)}`, subnet: "10.90.0.0/16", members: Object.values(names) } });
  const links = await db().gatewayLink.findMany({ where: { sliceId: slice.id } });
  let seq = 0;
  // Each simulated agent reports its links; `fault` injects loss (or a tunnel down) on the edge site's.
  async function beat(fault: null | "loss" | "down") {
    const now = Date.now();
    for (const [name, id] of Object.entries(clusters)) {
      const gateways: Sample[] = links
        .filter((l) => l.serverClusterId === id || l.clientClusterId === id)
        .map((l) => {
          const edgeLink = [l.serverClusterId, l.clientClusterId].includes(clusters[names.EDGE]!);
          if (edgeLink && fault === "down") return { linkId: l.id, status: "DOWN", lossPct: 100, rxBps: 0, txBps: 0 };
          return { linkId: l.id, status: "UP", rttMs: 20 + (seq % 5), lossPct: edgeLink && fault === "loss" ? 8 : 0.1, rxBps: 120_000, txBps: 80_000 };
        });
      const agent = { credentialId: "e2e", clusterId: id, clusterName: name, tenantId: tenant.id, tenantSlug: tenant.slug, leaseDurationSeconds: 15 };
      await recordHeartbeat(
        agent,
        {
          seq: ++seq,
          session: `e2e-session-${id}`.slice(0, 60),
          sentAt: new Date(now).toISOString(),
          appliedRevision: 0,
          components: [{ name: "agent", status: "OK" }],
          gateways,
        },
        { now },
      );
    }
    await evaluateLinks(new Date(now + 100));
  }

  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text());
  });
  await signInViaApi(page, tenant.owner);
  await beat(null);
  await page.goto(`/t/${tenant.slug}/gateways`);
  const edgeCard = page.locator(`[data-site="${names.EDGE}"]`);
  await expect(edgeCard).toHaveAttribute("data-score", "100");
  await expect(page.getByRole("heading", { name: "Edge · eu-west" })).toBeVisible();

  // The world map: one marker per located site, labelled with its name and score; the
  // site without coordinates is counted, not drawn; the links are arcs.
  const map = page.getByRole("group", { name: "Sites and links on the world map" });
  await expect(map.getByTestId("map-site")).toHaveCount(3);
  for (const name of Object.values(names)) await expect(map.getByRole("button", { name: new RegExp(`^${name}: score`) })).toHaveCount(1);
  await expect(page.getByTestId("map-caption")).toContainText("3 sites on the map · 1 without coordinates");
  await expect(map.locator('[data-testid="map-arc"][data-status="UP"]')).toHaveCount(links.length);
  const edgeMarker = map.getByRole("button", { name: `${names.EDGE}: score 100` }).locator("circle");
  const healthy = await edgeMarker.getAttribute("fill");
  // Hovering a marker names the site with its score and links to its cluster.
  await map.getByRole("button", { name: new RegExp(`^${names.CLOUD}: score`) }).hover();
  await expect(page.getByRole("list", { name: "Selected sites" }).getByRole("link", { name: names.CLOUD })).toHaveAttribute(
    "href",
    `/t/${tenant.slug}/clusters/${clusters[names.CLOUD]}`,
  );

  // Live: the page holds a server-sent event stream; another tenant's is not found.
  const probe = (slug: string) =>
    page.evaluate(async (url) => {
      const ac = new AbortController();
      const r = await fetch(url, { signal: ac.signal });
      const first = r.ok && r.body ? new TextDecoder().decode((await r.body.getReader().read()).value) : "";
      ac.abort();
      return { status: r.status, type: r.headers.get("content-type"), first };
    }, `/api/live/${slug}/gateways`);
  expect(await probe(tenant.slug)).toMatchObject({ status: 200, type: "text/event-stream; charset=utf-8", first: "retry: 5000\n\n" });
  const stranger = await makeTenant("gateways-other");
  expect((await probe(stranger.slug)).status).toBe(404);

  await beat("loss");
  // Pushed by the link evaluation's event (the page polls only every 30 s while live):
  // the edge site's score drops and says why.
  await expect(edgeCard).not.toHaveAttribute("data-score", "100", { timeout: 15_000 });
  await expect(edgeCard).toContainText("2 of 2 links degraded (loss 8 %)");
  await expect(page.locator('tr[data-status="DEGRADED"]')).toHaveCount(2);
  // On the map, the degraded site's marker changes colour and its arcs show the status.
  const degradedMarker = map.getByRole("button", { name: new RegExp(`^${names.EDGE}: score (?!100)`) }).locator("circle");
  await expect(degradedMarker).not.toHaveAttribute("fill", healthy!);
  await expect(map.locator('[data-testid="map-arc"][data-status="DEGRADED"]')).toHaveCount(2);

  await beat(null);
  await expect(edgeCard).toHaveAttribute("data-score", "100", { timeout: 15_000 });
  await expect(page.locator('tr[data-status="UP"]')).toHaveCount(3);
  await expect(edgeMarker).toHaveAttribute("fill", healthy!);

  // A link's 24 h charts, from the 1-minute rollups (this minute flushed now, after what
  // the "agent API" here holds is pushed, as it is every second on its own).
  await sampleSpool().flush();
  await flushMinutes({ now: new Date(Math.floor(Date.now() / 60_000) * 60_000 + 66_000) });
  await page.locator('tr[data-status="UP"] a').first().click();
  await expect(page.getByRole("button", { name: "24h" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator('[data-chart="RTT"] canvas')).toBeVisible();
  await expect(page.getByText(/points · step \d+ min · 1-minute rollups/)).toBeVisible();

  // An alert: the edge tunnels go down, a LINK_DOWN rule opens alerts, one is acknowledged.
  await db().alertRule.create({ data: { tenantId: tenant.id, name: "tunnel down", kind: "LINK_DOWN", forSeconds: 0 } });
  await beat("down");
  // A second later than the evaluation that saw them DOWN (the rule wants them DOWN since at least now).
  await evaluateAlerts({ tenantId: tenant.id, now: new Date(Date.now() + 1_000), enqueue: async () => undefined });
  expect(await db().alert.count({ where: { tenantId: tenant.id, state: "OPEN" } })).toBe(2);
  await page.goto(`/t/${tenant.slug}/gateways`);
  const alerts = page.getByRole("region", { name: "Open alerts" }).or(page.locator('[aria-label="Open alerts"]'));
  await expect(alerts.locator("li")).toHaveCount(2);
  await alerts.getByRole("button", { name: "Acknowledge" }).first().click();
  await expect(alerts.locator("li")).toHaveCount(1);
  expect(await db().alert.count({ where: { tenantId: tenant.id, state: "ACKNOWLEDGED" } })).toBe(1);
  expect(violations).toEqual([]);
});
