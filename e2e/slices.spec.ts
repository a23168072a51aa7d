// Slices in the console: the wizard across an edge, a cloud and an on-prem cluster,
// the slice page (topology graph, IPAM, per-cluster revisions), a tenant QoS profile
// with a service export and a gateway override, KubeSlice import, and a field problem
// shown where it belongs. Clusters are written straight to the run's
// database: registering real agents is the agent protocol's own spec.
import { expect, makeTenant, rand, signInViaApi, test } from "./support/fixtures";

interface ClusterSeed {
  name: string;
  siteType: "EDGE" | "CLOUD" | "ONPREM";
  podCidr: string;
  serviceCidr: string;
  endpoint: string | null;
}

async function makeClusters(tenantId: string, seeds: ClusterSeed[]) {
  // makeTenant has pointed the services at the run's database by now.
  const { db } = await import("../server/platform/db/client");
  for (const s of seeds) {
    await db().cluster.create({
      data: {
        tenantId,
        name: s.name,
        uid: `uid-${rand(8)}`,
        siteType: s.siteType,
        availability: "AVAILABLE",
        podCidrs: [s.podCidr],
        serviceCidrs: [s.serviceCidr],
        gatewayEndpoints: s.endpoint ? [s.endpoint] : [],
        // The edge site sits behind NAT: it can only dial out, so it is every link's client.
        behindNat: s.endpoint === null,
        kubernetesVersion: "v1.31.2",
        cni: "cilium",
        nodeCount: 3,
        lastSeenAt: new Date(),
      },
    });
  }
}

async function setup(label: string) {
  const t = await makeTenant(label);
  const id = rand(3);
  const names = { edge: `edge-${id}`, cloud: `cloud-${id}`, onprem: `dc-${id}` };
  await makeClusters(t.id, [
    { name: names.edge, siteType: "EDGE", podCidr: "172.20.0.0/16", serviceCidr: "172.30.0.0/20", endpoint: null },
    { name: names.cloud, siteType: "CLOUD", podCidr: "172.21.0.0/16", serviceCidr: "172.30.16.0/20", endpoint: "203.0.113.10:31820" },
    { name: names.onprem, siteType: "ONPREM", podCidr: "172.22.0.0/16", serviceCidr: "172.30.32.0/20", endpoint: "198.51.100.7:31820" },
  ]);
  return { t, names };
}

test.describe("slices", () => {
  test("an owner builds a full-mesh slice across edge, cloud and on-prem in the wizard", async ({ page }) => {
    const { t, names } = await setup("slices");
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/slices`);
    await expect(page.getByText("No slices yet")).toBeVisible();
    await page.getByRole("link", { name: "Create slice" }).first().click();

    // Basics: a name and a suggested subnet.
    await expect(page.getByRole("heading", { name: "1. Basics" })).toBeVisible();
    await page.getByLabel("Name", { exact: true }).fill("payments");
    await page.getByRole("button", { name: "Suggest" }).click();
    await expect(page.getByLabel("Slice subnet")).toHaveValue(/^10\.\d+\.0\.0\/16$/);
    await page.getByRole("button", { name: "Next" }).click();

    // Members: pick the three clusters from the search list.
    await expect(page.getByRole("heading", { name: "2. Members" })).toBeVisible();
    const picker = page.getByRole("combobox", { name: "Member clusters" });
    for (const name of [names.edge, names.cloud, names.onprem]) {
      await picker.fill(name);
      await page.getByRole("option", { name: new RegExp(`^${name}`) }).click();
    }
    await expect(page.getByRole("list", { name: "Selected clusters" }).getByRole("listitem")).toHaveCount(3);
    await page.getByRole("button", { name: "Next" }).click();

    // Topology: full mesh is the default; the live preview plans three links, the NATed edge a client on both of its links.
    await expect(page.getByRole("heading", { name: "3. Topology" })).toBeVisible();
    await expect(page.getByRole("radio", { name: /Full mesh/ })).toHaveAttribute("aria-checked", "true");
    const planned = page.getByRole("list", { name: "Planned links" }).getByRole("listitem");
    await expect(planned).toHaveCount(3);
    for (const row of await planned.all()) {
      const text = await row.innerText();
      if (text.includes(names.edge)) expect(text.indexOf(names.edge)).toBeGreaterThan(text.indexOf("server"));
    }
    await expect(page.getByTestId("topology-graph").locator("[data-node]")).toHaveCount(3);

    for (const step of ["4. QoS", "5. Namespaces", "6. Services", "7. Review"]) {
      await page.getByRole("button", { name: "Next" }).click();
      await expect(page.getByRole("heading", { name: step })).toBeVisible();
    }
    await page.getByRole("button", { name: "Create slice" }).click();

    // The slice page: graph, IPAM and a revision per cluster.
    await expect(page).toHaveURL(new RegExp(`/t/${t.slug}/slices/slc_`));
    await expect(page.getByRole("heading", { level: 1, name: "payments" })).toBeVisible();
    const graph = page.getByTestId("topology-graph");
    await expect(graph.locator("[data-node]")).toHaveCount(3);
    await expect(graph.locator("[data-link]")).toHaveCount(3);
    const ipam = page.getByRole("table", { name: "IPAM" });
    await expect(ipam.locator("tbody tr")).toHaveCount(3);
    for (const name of Object.values(names)) {
      await expect(ipam.locator(`tr[data-cluster="${name}"]`)).toContainText(/applied \d+ \/ desired [1-9]\d*/);
    }
    await expect(page.getByRole("table", { name: "Gateway links" }).locator("tbody tr")).toHaveCount(3);
    await expect(page.getByText("0/3 links up", { exact: true })).toBeVisible();
    // The convergence line says the same and names the first failing link.
    await expect(page.locator("[data-convergence]")).toContainText(/^0\/3 links up — .+ ↔ .+/);

    // And the list shows it with its convergence.
    await page.getByRole("link", { name: "Slices" }).first().click();
    const row = page.getByRole("row", { name: /payments/ });
    await expect(row).toContainText(/\d\/3 clusters applied/);
    await expect(row).toContainText("0/3 links up");
  });

  test("a QoS profile made in the console, picked in the wizard with a service export and a gateway override", async ({ page }) => {
    // A whole journey through three pages and the six-step wizard: ~15 s on a quiet
    // machine, and it has run past the default 30 s when the machine was busy.
    test.setTimeout(60_000);
    const { t, names } = await setup("qosprof");
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}`);
    await page.getByRole("link", { name: "QoS profiles" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "QoS profiles" })).toBeVisible();
    await expect(page.getByText("No QoS profiles yet")).toBeVisible();

    // Create "gold"; a guaranteed rate above the ceiling is refused next to its input.
    await page.getByRole("button", { name: "Create profile" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name", { exact: true }).fill("gold");
    await dialog.getByLabel("Priority").fill("1");
    await dialog.getByLabel("DSCP class").click();
    await page.getByRole("option", { name: "EF", exact: true }).click();
    await dialog.getByLabel("Bandwidth ceiling (kbps)").fill("40960");
    await dialog.getByLabel("Guaranteed bandwidth (kbps)").fill("50000");
    await dialog.getByRole("button", { name: "Create profile" }).click();
    const guaranteed = dialog.getByLabel("Guaranteed bandwidth (kbps)");
    await expect(guaranteed).toHaveAttribute("aria-invalid", "true");
    await expect(guaranteed).toHaveAccessibleDescription("Guaranteed bandwidth must not exceed bandwidth ceiling");
    await guaranteed.fill("20480");
    await dialog.getByRole("button", { name: "Create profile" }).click();
    await expect(dialog).toBeHidden();
    const goldRow = page.getByRole("table", { name: "QoS profiles" }).locator('tr[data-profile="gold"]');
    await expect(goldRow).toContainText("EF");
    await expect(goldRow).toContainText("40,960 kbps");
    await expect(goldRow).toContainText("No slices");

    // The wizard: members with a per-cluster gateway service, the profile, a service export.
    await page.getByRole("link", { name: "Slices" }).first().click();
    await page.getByRole("link", { name: "Create slice" }).first().click();
    await page.getByLabel("Name", { exact: true }).fill("shop");
    await page.getByRole("button", { name: "Suggest" }).click();
    await expect(page.getByLabel("Slice subnet")).toHaveValue(/^10\.\d+\.0\.0\/16$/);
    await page.getByRole("button", { name: "Next" }).click();
    const picker = page.getByRole("combobox", { name: "Member clusters" });
    for (const name of [names.edge, names.cloud, names.onprem]) {
      await picker.fill(name);
      await page.getByRole("option", { name: new RegExp(`^${name}`) }).click();
    }
    await page.getByRole("combobox", { name: `Gateway service for ${names.cloud}` }).click();
    await page.getByRole("option", { name: "LoadBalancer / TCP" }).click();
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: "3. Topology" })).toBeVisible();
    await page.getByRole("button", { name: "Next" }).click();

    await expect(page.getByRole("heading", { name: "4. QoS" })).toBeVisible();
    await page.getByRole("radio", { name: /Tenant profile/ }).click();
    await page.getByRole("combobox", { name: "QoS profile" }).click();
    await page.getByRole("option", { name: /^gold/ }).click();
    await expect(page.getByRole("definition").filter({ hasText: "EF" })).toBeVisible();
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: "5. Namespaces" })).toBeVisible();
    await page.getByRole("button", { name: "Next" }).click();

    await expect(page.getByRole("heading", { name: "6. Services" })).toBeVisible();
    await page.getByRole("button", { name: "Add service export" }).click();
    const exp = page.getByRole("group", { name: /^Service export/ });
    await exp.getByLabel("Service name").fill("ledger");
    await exp.getByLabel("Namespace").fill("payments");
    // The server's check of the draft names what is missing, next to its field.
    await expect(exp.getByLabel("Source cluster")).toHaveAccessibleDescription(/Source cluster must not be empty/);
    await exp.getByLabel("Source cluster").click();
    await page.getByRole("option", { name: names.onprem, exact: true }).click();
    await exp.getByLabel("ledger port 1", { exact: true }).fill("8443");
    await exp.getByLabel("Aliases").fill("ledger.payments.example");
    await page.getByRole("button", { name: "Next" }).click();

    await expect(page.getByRole("heading", { name: "7. Review" })).toBeVisible();
    await expect(page.getByRole("definition").filter({ hasText: "Profile gold" })).toContainText("priority 1");
    await expect(page.getByRole("definition").filter({ hasText: `${names.cloud}: LoadBalancer / TCP` })).toBeVisible();
    await expect(page.getByRole("definition").filter({ hasText: "payments/ledger" })).toContainText(`from ${names.onprem}: 8443/TCP`);
    await page.getByRole("button", { name: "Create slice" }).click();

    // The slice page shows all three.
    await expect(page.getByRole("heading", { level: 1, name: "shop" })).toBeVisible();
    const qos = page.locator('dl[aria-label="QoS values"]');
    await expect(qos).toContainText("Profile gold");
    await expect(qos).toContainText("EF");
    await expect(qos).toContainText("40,960 kbps");
    await expect(qos).toContainText("20,480 kbps");
    const exports = page.getByRole("table", { name: "Service exports" });
    await expect(exports).toContainText("payments/ledger");
    await expect(exports).toContainText(names.onprem);
    await expect(exports).toContainText("8443/TCP");
    await expect(exports).toContainText("ledger.payments.example");
    const ipam = page.getByRole("table", { name: "IPAM" });
    await expect(ipam.locator(`tr[data-cluster="${names.cloud}"] [data-gateway-service]`)).toHaveText("LoadBalancer / TCPoverride");
    await expect(ipam.locator(`tr[data-cluster="${names.edge}"] [data-gateway-service]`)).toHaveText("NodePort / UDP");

    // Back on the profiles page: it names its slice, and cannot be deleted while used.
    await page.getByRole("link", { name: "QoS profiles" }).click();
    await expect(goldRow.getByRole("link", { name: "shop" })).toBeVisible();
    await page.getByRole("button", { name: "Delete QoS profile gold" }).click();
    const confirm = page.getByRole("dialog");
    await confirm.getByRole("button", { name: "Delete profile" }).click();
    await expect(confirm.getByRole("alert")).toContainText("QoS profile gold is used by slice shop");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(goldRow).toBeVisible();

    // Editing it re-delivers the slice, whose page then shows the new priority.
    await page.getByRole("button", { name: "Edit QoS profile gold" }).click();
    await page.getByRole("dialog").getByLabel("Priority").fill("3");
    await page.getByRole("dialog").getByRole("button", { name: "Save profile" }).click();
    await expect(page.getByText(/QoS profile gold saved; 3 clusters re-delivered/)).toBeVisible();
    await goldRow.getByRole("link", { name: "shop" }).click();
    await expect(page.locator('dl[aria-label="QoS values"]')).toContainText(/Priority\s*3/);
  });

  test("a KubeSlice SliceConfig naming two of the clusters is imported, with its SliceQoSConfig as a QoS profile", async ({ page }) => {
    const { t, names } = await setup("import");
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/slices`);
    await page.getByRole("link", { name: "Import KubeSlice YAML" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Import from KubeSlice" })).toBeVisible();
    const yaml = [
      "apiVersion: controller.kubeslice.io/v1alpha1",
      "kind: SliceConfig",
      "metadata:",
      "  name: green",
      "spec:",
      "  sliceSubnet: 10.231.0.0/16",
      "  maxClusters: 8",
      "  sliceType: Application",
      "  sliceGatewayProvider:",
      "    sliceGatewayType: Wireguard",
      "    sliceCaType: Local",
      "  sliceIpamType: Local",
      "  clusters:",
      `    - ${names.cloud}`,
      `    - ${names.onprem}`,
      "  standardQosProfileName: silver",
      "---",
      "apiVersion: controller.kubeslice.io/v1alpha1",
      "kind: SliceQoSConfig",
      "metadata:",
      "  name: silver",
      "spec:",
      "  queueType: HTB",
      "  priority: 2",
      "  tcType: BANDWIDTH_CONTROL",
      "  bandwidthCeilingKbps: 10240",
      "  bandwidthGuaranteedKbps: 5120",
      "  dscpClass: AF21",
    ].join("\n");
    await page.getByLabel("YAML", { exact: true }).fill(yaml);
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Imported 1 slice and 1 QoS profile" })).toBeVisible();
    await expect(page.getByRole("list", { name: "QoS profiles" })).toContainText("silver created");
    await expect(page.getByText(/Ignored fields \(\d+\)/)).toBeVisible();
    await page.getByRole("list", { name: "Created slices" }).getByRole("link", { name: "green" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "green" })).toBeVisible();
    await expect(page.locator('dl[aria-label="QoS values"]')).toContainText("Profile silver");
    await expect(page.locator('dl[aria-label="QoS values"]')).toContainText("AF21");
    await expect(page.getByRole("table", { name: "IPAM" }).locator("tbody tr")).toHaveCount(2);
    await expect(page.getByTestId("topology-graph").locator("[data-link]")).toHaveCount(1);
  });

  test("saving an edit after someone else changed the slice says so and offers a reload, instead of overwriting", async ({ page }) => {
    const { t, names } = await setup("stale");
    const { patchSlice, saveSlice } = await import("../server/slices/save-slice");
    const ctx = { tenantId: t.id, tenantSlug: t.slug, role: "OWNER" as const, actor: { type: "SYSTEM" as const, label: "a colleague" } };
    const s = await saveSlice(ctx, { spec: { name: "shared", subnet: "10.77.0.0/16", members: [names.cloud, names.onprem] } });
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/slices/${s.id}/edit`);
    await expect(page.getByRole("heading", { name: "1. Basics" })).toBeVisible();
    // Meanwhile a colleague changes it.
    await patchSlice(ctx, s.id, { description: "changed by a colleague" });
    await page.getByRole("button", { name: /Review/ }).click();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Changed by someone else — reload")).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/slices/${s.id}/edit$`));
    // Reloading shows their change; saving then works.
    await page.getByRole("button", { name: "Reload" }).click();
    await expect(page.getByLabel("Description")).toHaveValue("changed by a colleague");
    await page.getByRole("button", { name: /Review/ }).click();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${t.slug}/slices/${s.id}$`));
  });

  test("wizard words: clusters named as they are named or typed; hub and spoke pre-selects the reachable cluster; a new namespace row is no error until touched", async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const t = await makeTenant("wizwords");
    const id = rand(3);
    // Two sites behind NAT (no endpoint) and one reachable cloud cluster.
    const kiosk = `kiosk-${id}`;
    const edge = `edge-${id}`;
    const cloud = `cloud-${id}`;
    await makeClusters(t.id, [
      { name: kiosk, siteType: "EDGE", podCidr: "172.20.0.0/16", serviceCidr: "172.30.0.0/20", endpoint: null },
      { name: edge, siteType: "EDGE", podCidr: "172.21.0.0/16", serviceCidr: "172.30.16.0/20", endpoint: null },
      { name: cloud, siteType: "CLOUD", podCidr: "172.22.0.0/16", serviceCidr: "172.30.32.0/20", endpoint: "203.0.113.10:31820" },
    ]);
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/slices/new`);
    await page.getByLabel("Name", { exact: true }).fill("kiosks");
    await page.getByRole("button", { name: "Suggest" }).click();
    await expect(page.getByLabel("Slice subnet")).toHaveValue(/^10\.\d+\.0\.0\/16$/);
    await page.getByRole("button", { name: "Next" }).click();

    // Members: a cluster typed in capitals is the listed cluster, by its own name.
    const picker = page.getByRole("combobox", { name: "Member clusters" });
    const selected = page.getByRole("list", { name: "Selected clusters" });
    await picker.fill(kiosk.toUpperCase());
    await expect(page.getByRole("option", { name: new RegExp(`^${kiosk}`) })).toBeVisible();
    await picker.press("Enter");
    await expect(selected.getByRole("listitem")).toHaveText([kiosk]);
    // A name that is no cluster's stays as typed, and the message quotes it so.
    await picker.fill("Nowhere-1");
    await picker.press("Escape");
    await picker.press("Enter");
    await expect(selected.getByRole("listitem")).toHaveText([kiosk, "Nowhere-1"]);
    await expect(picker).toHaveAccessibleDescription(/Members entry "Nowhere-1" must be a DNS-1123 label/);
    await page.getByRole("button", { name: "Remove Nowhere-1" }).click();
    for (const name of [edge, cloud]) {
      await picker.fill(name);
      await page.getByRole("option", { name: new RegExp(`^${name}`) }).click();
    }
    await expect(selected.getByRole("listitem")).toHaveText([kiosk, edge, cloud]);
    await page.getByRole("button", { name: "Next" }).click();

    // Topology: a full mesh cannot link the two NATed sites; the problem names both
    // exactly (case-sensitive match) and says what to do, in words.
    await expect(page.getByRole("heading", { name: "3. Topology" })).toBeVisible();
    const problem = page.getByText(new RegExp(`^The link between ${edge} and ${kiosk} cannot be made: both are behind NAT.*use a hub-and-spoke topology`));
    await expect(problem).toBeVisible();
    await expect(page.getByText(/HUB_SPOKE/)).toHaveCount(0);

    // Hub and spoke starts from the member the NATed sites can reach.
    await page.getByRole("radio", { name: /Hub and spoke/ }).click();
    const hubs = page.getByRole("group", { name: "Hubs" });
    await expect(hubs.getByRole("button", { name: cloud })).toHaveAttribute("aria-pressed", "true");
    await expect(hubs.getByRole("button", { name: kiosk })).toHaveAttribute("aria-pressed", "false");
    await expect(hubs.getByRole("button", { name: edge })).toHaveAttribute("aria-pressed", "false");
    await expect(page.getByRole("list", { name: "Planned links" }).getByRole("listitem")).toHaveCount(2);
    await expect(problem).toBeHidden();

    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: "4. QoS" })).toBeVisible();
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page.getByRole("heading", { name: "5. Namespaces" })).toBeVisible();

    // An empty row just added is not a mistake yet, though the server's plan of the
    // draft already has a problem with it; typing a bad name is.
    const planned = page.waitForResponse((r) => r.url().includes("slices.preview"));
    await page.getByRole("button", { name: "Add namespace" }).first().click();
    const preview = await (await planned).text();
    expect(preview).toContain("namespaceIsolation.applicationNamespaces.0.namespace");
    const namespace = page.getByLabel("Namespace", { exact: true });
    await expect(namespace).toBeVisible();
    await expect(namespace).not.toHaveAttribute("aria-invalid", "true");
    await namespace.fill("Shop_Front");
    await expect(namespace).toHaveAttribute("aria-invalid", "true");
    await expect(namespace).toHaveAccessibleDescription(/DNS-1123 label/);
    await namespace.fill("shop");
    await expect(namespace).not.toHaveAttribute("aria-invalid", "true");
  });

  test("a public subnet is refused next to the subnet input", async ({ page }) => {
    const { t } = await setup("badsubnet");
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/slices/new`);
    const subnet = page.getByLabel("Slice subnet");
    await subnet.fill("8.8.0.0/16");
    await expect(subnet).toHaveAttribute("aria-invalid", "true");
    await expect(subnet).toHaveAccessibleDescription(/private range/);
    // Fixing it clears the problem.
    await subnet.fill("10.88.0.0/16");
    await expect(subnet).not.toHaveAttribute("aria-invalid", "true");
  });
});
