// Slices in the console: the wizard across an edge, a cloud and an on-prem cluster,
// the slice page (topology graph, IPAM, per-cluster revisions), KubeSlice import, and
// a field problem shown where it belongs. Clusters are written straight to the run's
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
  const { db } = await import("../server/db/client");
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

    for (const step of ["4. QoS", "5. Namespaces", "6. Review"]) {
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
    await expect(page.getByText("0/3 links up")).toBeVisible();

    // And the list shows it with its convergence.
    await page.getByRole("link", { name: "Slices" }).first().click();
    const row = page.getByRole("row", { name: /payments/ });
    await expect(row).toContainText(/\d\/3 clusters applied/);
    await expect(row).toContainText("0/3 links up");
  });

  test("a KubeSlice SliceConfig naming two of the clusters is imported", async ({ page }) => {
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
    ].join("\n");
    await page.getByLabel("YAML", { exact: true }).fill(yaml);
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Imported 1 slice" })).toBeVisible();
    await expect(page.getByText(/Ignored fields \(\d+\)/)).toBeVisible();
    await page.getByRole("list", { name: "Created slices" }).getByRole("link", { name: "green" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "green" })).toBeVisible();
    await expect(page.getByRole("table", { name: "IPAM" }).locator("tbody tr")).toHaveCount(2);
    await expect(page.getByTestId("topology-graph").locator("[data-link]")).toHaveCount(1);
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
