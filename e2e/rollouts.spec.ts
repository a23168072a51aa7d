// Rollouts in the console: a change published in waves, watched live to the end; and a
// failing canary, whose rollback and reason the page shows. The clusters are written
// to the run's database and their "agents" are this test: it marks them heard from
// (hot state in Redis) and acknowledges what the rollout publishes through the same
// service the agent API calls. No worker runs in the e2e stack, so the acks step the
// rollout in-process, as the rollouts.advance job would.
import { makeLiveCluster } from "./support/clusters";
import { expect, makeTenant, rand, signInViaApi, test } from "./support/fixtures";

async function fleet(tenantId: string, prefix: string, n: number) {
  const { redis } = await import("../server/platform/redis");
  const { hotStateKey } = await import("../server/hot-state/keys");
  const out: Array<{ id: string; name: string }> = [];
  for (let i = 0; i < n; i++) {
    const c = await makeLiveCluster(tenantId, `${prefix}-${i}`, "CLOUD", i);
    await redis().hset(hotStateKey(c.id), { lastSeen: String(Date.now()), components: JSON.stringify([{ name: "agent", status: "OK" }]) });
    out.push(c);
  }
  return out;
}

/** Each cluster's "agent" acks what its rollout target was published with. */
async function ackPublished(tenant: { id: string; slug: string }, rolloutId: string, fail: (clusterName: string) => string | null = () => null) {
  const { db } = await import("../server/platform/db/client");
  const { recordAck } = await import("../server/rollouts/record-ack");
  const { ackHooks } = await import("../server/rollouts/ack-target");
  const { advanceRolloutById } = await import("../server/rollouts/reconcile-rollouts");
  ackHooks.poke = async (id) => void (await advanceRolloutById(id));
  const published = await db().rolloutTarget.findMany({ where: { tenantId: tenant.id, rolloutId, state: "PUBLISHED" } });
  for (const t of published) {
    const why = fail(t.clusterName);
    const agent = {
      credentialId: "e2e",
      clusterId: t.clusterId,
      clusterName: t.clusterName,
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      leaseDurationSeconds: 15,
    };
    await recordAck(agent, { revision: t.toRevision!, hash: t.hash!, status: why ? "FAILED" : "APPLIED", ...(why ? { message: why } : {}) });
  }
  return published.length;
}

async function publish(tenant: { id: string; slug: string }, name: string, members: string[]) {
  const { saveSlice } = await import("../server/slices/save-slice");
  const ctx = { tenantId: tenant.id, tenantSlug: tenant.slug, role: "OWNER" as const, actor: { type: "SYSTEM" as const, label: "e2e" } };
  const saved = await saveSlice(ctx, {
    spec: { name, subnet: `10.${80 + Math.floor(Math.random() * 40)}.0.0/16`, members },
    rollout: { strategy: "WAVES", canary: 20, batchSize: 2, deadlineSeconds: 600, soakSeconds: 0 },
  });
  return saved.rollout!.id;
}

test.describe("rollouts", () => {
  test("a change published in waves: the page follows it wave by wave to the end", async ({ page }) => {
    const t = await makeTenant("rollouts");
    const clusters = await fleet(t.id, `ro-${rand(2)}`, 5);
    await signInViaApi(page, t.owner);
    const id = await publish(
      t,
      "waved",
      clusters.map((c) => c.name),
    );

    await page.goto(`/t/${t.slug}/rollouts`);
    await page.getByRole("link", { name: /slice\.create/ }).click();
    await expect(page.getByTestId("rollout-status")).toHaveText("running");
    await expect(page.getByText("wave 1 of 3")).toBeVisible();
    await expect(page.getByRole("table", { name: "Wave 1" }).getByText("published")).toBeVisible();

    // The canary acks: the page moves to wave 2 by itself, then to the end.
    for (let wave = 1; wave <= 3; wave++) {
      await expect.poll(() => ackPublished(t, id)).toBeGreaterThan(0);
      if (wave < 3) await expect(page.getByText(`wave ${wave + 1} of 3`)).toBeVisible();
    }
    await expect(page.getByTestId("rollout-status")).toHaveText("done");
    for (const w of [1, 2, 3])
      await expect(
        page
          .getByRole("table", { name: `Wave ${w}` })
          .getByText("applied")
          .first(),
      ).toBeVisible();
    await expect(page.getByRole("table", { name: "Wave 3" }).getByText("applied")).toHaveCount(2);
  });

  test("a failing canary: the page shows the rollback and the reason, naming the cluster", async ({ page }) => {
    const t = await makeTenant("rollouts-fail");
    const clusters = await fleet(t.id, `rf-${rand(2)}`, 5);
    await signInViaApi(page, t.owner);
    const id = await publish(
      t,
      "doomed",
      clusters.map((c) => c.name),
    );
    await page.goto(`/t/${t.slug}/rollouts/${id}`);
    await expect(page.getByTestId("rollout-status")).toHaveText("running");
    await expect.poll(() => ackPublished(t, id, () => 'admission webhook "policy.example.com" denied NetworkPolicy/doomed')).toBeGreaterThan(0);
    await expect(page.getByTestId("rollout-status")).toHaveText("failed");
    await expect(page.getByText("Stopped and rolled back")).toBeVisible();
    await expect(page.getByTestId("rollout-failure")).toContainText(`${clusters[0]!.name} failed to apply revision`);
    await expect(page.getByTestId("rollout-failure")).toContainText("denied NetworkPolicy/doomed");
    await expect(page.getByRole("table", { name: "Wave 1" }).getByText("rolled back")).toBeVisible();
    await expect(page.getByRole("table", { name: "Wave 2" }).getByText("cancelled")).toHaveCount(2);
  });

  test("before saving, the review shows the plan: each cluster's wave and its diff, which opens to the changed line", async ({ page }) => {
    const t = await makeTenant("rollouts-plan");
    const clusters = await fleet(t.id, `rp-${rand(2)}`, 2);
    const { saveSlice } = await import("../server/slices/save-slice");
    const ctx = { tenantId: t.id, tenantSlug: t.slug, role: "OWNER" as const, actor: { type: "SYSTEM" as const, label: "e2e" } };
    const qos = { priority: 3, bandwidthCeilingKbps: 20_000, bandwidthGuaranteedKbps: 1_000, dscpClass: "AF21" as const };
    const s = await saveSlice(ctx, {
      spec: { name: "planned", subnet: `10.${80 + Math.floor(Math.random() * 40)}.0.0/16`, members: clusters.map((c) => c.name), qos },
    });
    await signInViaApi(page, t.owner);
    await page.goto(`/t/${t.slug}/slices/${s.id}/edit`);
    await expect(page.getByRole("heading", { name: "1. Basics" })).toBeVisible();
    for (const step of ["2. Members", "3. Topology", "4. QoS"]) {
      await page.getByRole("button", { name: "Next" }).click();
      await expect(page.getByRole("heading", { name: step })).toBeVisible();
    }
    await page.getByLabel("Priority").fill("5");
    await page.getByRole("button", { name: /Review/ }).click();
    await expect(page.getByRole("heading", { name: "7. Review" })).toBeVisible();

    const plan = page.getByRole("list", { name: "Changes per cluster" });
    const first = plan.getByTestId(`plan-cluster-${clusters[0]!.name}`);
    await expect(first).toContainText("wave 1");
    await expect(plan.getByTestId(`plan-cluster-${clusters[1]!.name}`)).toBeVisible();
    // Collapsed until opened; then the diff shows the old and the new priority.
    await expect(first.getByText(/^\+\s*priority: 5$/)).toBeHidden();
    await first.locator("summary").click();
    await expect(first.getByText(/^\+\s*priority: 5$/)).toBeVisible();
    await expect(first.getByText(/^-\s*priority: 3$/)).toBeVisible();
    await expect(first).toContainText(`+++ ${clusters[0]!.name} after this change`);
  });
});
