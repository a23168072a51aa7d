// The plan shown before a slice change is saved: each cluster it touches, its wave, and
// its bundle's diff from the latest revision to what the draft would publish — computed
// without writing anything.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, tenantCtx, type TenantFixture } from "../../test/fixtures";
import { db } from "../platform/db/client";
import { saveSlice } from "./save-slice";
import { planRollout } from "./plan-rollout";

let t: TenantFixture;
let clusters: Array<{ id: string; name: string }>;
let sliceId = "";
const qos = (priority: number) => ({ priority, bandwidthCeilingKbps: 20_000, bandwidthGuaranteedKbps: 1_000, dscpClass: "AF21" as const });
// Outside 10.0.0.0/8, where test clusters may take their pod ranges.
const spec = (priority: number, members: string[]) => ({ name: "planned", subnet: "192.168.0.0/16", members, qos: qos(priority) });

beforeAll(async () => {
  t = await makeTenant("rollout-plan");
  clusters = [await makeCluster(t.id), await makeCluster(t.id), await makeCluster(t.id)].sort((a, b) => (a.name < b.name ? -1 : 1));
  const saved = await saveSlice(tenantCtx(t, "OPERATOR"), { spec: spec(3, [clusters[0]!.name, clusters[1]!.name]) });
  sliceId = saved.id;
}, 60_000);

describe("rollouts.plan with a slice draft", () => {
  test("each touched cluster has its wave and a unified diff of its bundle in YAML with the changed line; nothing is written", async () => {
    const counts = async () => ({
      revisions: await db().configRevision.count({ where: { tenantId: t.id } }),
      rollouts: await db().rollout.count({ where: { tenantId: t.id } }),
      audit: await db().auditLog.count({ where: { tenantId: t.id } }),
    });
    const before = await counts();
    const members = [clusters[0]!.name, clusters[1]!.name];
    const plan = await planRollout(
      tenantCtx(t, "OPERATOR"),
      members,
      { strategy: "WAVES", canary: 50, batchSize: 1 },
      { slice: { id: sliceId, spec: spec(5, members) } },
    );
    expect(plan.diffError).toBeNull();
    expect(plan.waves).toEqual([[clusters[0]!.name], [clusters[1]!.name]]);
    expect(plan.clusters.map((c) => [c.name, c.changes, c.wave])).toEqual([
      [clusters[0]!.name, true, 0],
      [clusters[1]!.name, true, 1],
    ]);
    for (const c of plan.clusters) {
      expect(c.diff).toMatch(new RegExp(`^--- ${c.name} revision \\d+\\n\\+\\+\\+ ${c.name} after this change\\n@@ `));
      expect(c.diff).toMatch(/^-\s+priority: 3$/m);
      expect(c.diff).toMatch(/^\+\s+priority: 5$/m);
      // Only the priority changed: one line out, one line in.
      expect(c.diff!.split("\n").filter((l) => /^[-+][^-+]/.test(l))).toHaveLength(2);
    }
    expect(await counts()).toEqual(before);
    const stored = await db().slice.findFirstOrThrow({ where: { id: sliceId, tenantId: t.id }, select: { qos: true } });
    expect(stored.qos).toMatchObject({ priority: 3 });
  });

  test("a new member: its diff starts from its current bundle and adds the slice; an unchanged draft changes no cluster", async () => {
    const all = clusters.map((c) => c.name);
    const plan = await planRollout(tenantCtx(t, "OPERATOR"), all, { strategy: "ALL_AT_ONCE" }, { slice: { id: sliceId, spec: spec(3, all) } });
    const added = plan.clusters.find((c) => c.name === clusters[2]!.name)!;
    expect(added.changes).toBe(true);
    expect(added.diff).toMatch(/^\+\s+name: planned$/m);
    const same = await planRollout(tenantCtx(t, "OPERATOR"), [clusters[0]!.name, clusters[1]!.name], undefined, {
      slice: { id: sliceId, spec: spec(3, [clusters[0]!.name, clusters[1]!.name]) },
    });
    expect(same.waves).toEqual([]);
    expect(same.clusters.map((c) => [c.changes, c.diff])).toEqual([
      [false, null],
      [false, null],
    ]);
  });

  test("an invalid draft gets no diff and says why, naming the field", async () => {
    const plan = await planRollout(tenantCtx(t, "OPERATOR"), [clusters[0]!.name], undefined, {
      slice: { spec: { ...spec(3, [clusters[0]!.name]), name: "planned" } },
    });
    expect(plan.clusters).toEqual([]);
    expect(plan.diffError).toContain("name: a slice named planned already exists");
  });

  test("a VIEWER may not plan a slice draft (its diff takes the slice's locks), and plans named clusters without one", async () => {
    await expect(
      planRollout(tenantCtx(t, "VIEWER"), [clusters[0]!.name], undefined, { slice: { id: sliceId, spec: spec(4, [clusters[0]!.name]) } }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const plan = await planRollout(tenantCtx(t, "VIEWER"), [clusters[0]!.name]);
    expect(plan.waves).toEqual([[clusters[0]!.name]]);
  });
});
