// Connectivity policies in the console: a draft DENY changes the reachability matrix
// (the changed cell outlined, its deciding rule named), publishing it puts its
// AdminNetworkPolicy into the cluster's bundle, which the cluster page shows. The
// cluster and its application inventory are written straight to the run's database:
// the agent's report is the agent protocol's own test.
import { expect, makeTenant, rand, signInViaApi, test } from "./support/fixtures";

async function makeCluster(tenantId: string) {
  const { db } = await import("../server/platform/db/client");
  const name = `cloud-${rand(3)}`;
  const workload = (namespace: string, app: string) => ({
    namespace,
    name: app,
    kind: "Deployment",
    labels: { app },
    ports: [{ name: "http", port: 8080, protocol: "TCP" }],
  });
  return db().cluster.create({
    data: {
      tenantId,
      name,
      uid: `uid-${rand(8)}`,
      siteType: "CLOUD",
      availability: "AVAILABLE",
      podCidrs: ["172.21.0.0/16"],
      serviceCidrs: ["172.30.16.0/20"],
      gatewayEndpoints: ["203.0.113.10:31820"],
      kubernetesVersion: "v1.31.2",
      cni: "cilium",
      nodeCount: 3,
      lastSeenAt: new Date(),
      adminNetworkPolicy: true,
      appInventory: {
        adminNetworkPolicy: true,
        namespaces: [
          { name: "shop", labels: {} },
          { name: "batch", labels: {} },
        ],
        workloads: [workload("shop", "web"), workload("batch", "etl")],
        policies: [],
      },
    },
  });
}

test.describe("policies", () => {
  test("an owner drafts a DENY, sees the matrix change and the deciding rule, publishes it, and finds it in the cluster's bundle", async ({ page }) => {
    const t = await makeTenant("policies");
    const cluster = await makeCluster(t.id);
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/policies`);
    await expect(page.getByText("No policies yet")).toBeVisible();

    // Today batch reaches shop on 8080.
    await page.getByRole("button", { name: "Show reachability" }).click();
    const cell = page.locator(`[data-cell="${cluster.name}/batch>${cluster.name}/shop"]`);
    await expect(cell).toHaveAttribute("data-decision", "ALLOW");

    await page.getByRole("button", { name: "New policy" }).click();
    await page.getByLabel("Name", { exact: true }).fill("no-batch");
    await page.getByLabel("Priority (lower wins)").fill("10");
    await page.getByLabel("Action").selectOption("DENY");
    await page.getByLabel("Ports").fill("TCP 8080");
    const from = page.getByRole("group", { name: "From" });
    await from.getByLabel("Namespaces (names; empty = all)").fill("batch");
    const to = page.getByRole("group", { name: "To" });
    await to.getByLabel("Namespaces (names; empty = all)").fill("shop");

    await page.getByRole("button", { name: "Preview reachability with the draft" }).click();
    await expect(cell).toHaveAttribute("data-decision", "DENY");
    await expect(cell).toHaveAttribute("data-changed", "yes");
    await expect(page.getByTestId("diff-count")).toHaveText("1 cell(s) change");
    await cell.click();
    await expect(page.getByRole("list", { name: "Deciding rules" })).toContainText("Deny by AdminNetworkPolicy isthmus-policy.no-batch");

    // The cluster's compiled objects: the draft's AdminNetworkPolicy is new against what it applied.
    await page.getByLabel("Cluster for compiled manifests").selectOption(cluster.name);
    await expect(page.locator('[data-manifest="AdminNetworkPolicy isthmus-policy.no-batch"]')).toHaveAttribute("data-state", "added");

    // The YAML view holds the same draft.
    await page.getByRole("tab", { name: "YAML" }).click();
    await expect(page.getByLabel("Policy YAML")).toHaveValue(/action: DENY/);

    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("table", { name: "Policies" }).getByRole("row", { name: /no-batch/ })).toBeVisible();

    // The published revision holds the compiled AdminNetworkPolicy.
    await page.goto(`/t/${t.slug}/clusters/${cluster.id}`);
    await page.getByRole("tab", { name: /Config/ }).click();
    await expect(page.getByText("isthmus-policy.no-batch").first()).toBeVisible();
    await expect(page.getByText("kind: AdminNetworkPolicy").first()).toBeVisible();
  });
});
