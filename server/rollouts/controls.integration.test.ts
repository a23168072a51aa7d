// Operating rollouts through the API: the tenant default and a change's own options,
// pause / resume / roll back (audited), a rollout of a QoS profile change, and the
// REST answers. Clusters here have no agent: one marked heard from (hot state in
// Redis) waits for its ack, which keeps its rollout running while the test operates it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, tenantCtx, tokenCaller, type TenantFixture, userCaller } from "../../test/fixtures";
import { hotStateKey } from "../hot-state/keys";
import { db } from "../platform/db/client";
import { createQosProfile } from "../qos-profiles/create-qos-profile";
import { updateQosProfile } from "../qos-profiles/update-qos-profile";
import { redis } from "../platform/redis";
import { saveSlice } from "../slices/save-slice";
import { createRequestContext } from "../trpc/context";
import { handleRest } from "../trpc/rest-handler";
import { setRolloutDefaults } from "./rollout-defaults";

let t: TenantFixture;
let n = 0;
const nextSubnet = () => `10.${150 + n++}.0.0/16`;
const heard = (clusterId: string) => redis().hset(hotStateKey(clusterId), { lastSeen: String(Date.now()), components: "[]" });

beforeAll(async () => {
  t = await makeTenant("rollout-controls");
});

afterAll(async () => {
  await db().tenant.updateMany({ where: { id: t.id }, data: { settings: {} } });
});

describe("options", () => {
  test("a change with no options gets the tenant's default; its own options go over it", async () => {
    const owner = tenantCtx(t, "OWNER");
    const cs = await Promise.all([0, 1, 2, 3].map(() => makeCluster(t.id)));
    await setRolloutDefaults(owner, { strategy: "WAVES", canary: 25, batchSize: 1, soakSeconds: 0 });
    const a = await saveSlice(owner, { spec: { name: "by-default", subnet: nextSubnet(), members: cs.map((c) => c.name) } });
    expect(a.rollout).toMatchObject({ strategy: "WAVES", waveCount: 4 });
    // Not one cluster was ever heard from: each is published and left pending, and the rollout finishes.
    const viewer = userCaller(t.members.VIEWER);
    expect((await viewer.rollouts.get({ tenant: t.slug, id: a.rollout!.id })).outcome).toBe("done, 4 pending (offline)");
    const b = await saveSlice(owner, {
      spec: { name: "own-options", subnet: nextSubnet(), members: cs.map((c) => c.name) },
      rollout: { strategy: "ALL_AT_ONCE" },
    });
    expect(b.rollout).toMatchObject({ strategy: "ALL_AT_ONCE", waveCount: 1 });
    // The newer revision replaces the pending one: the first rollout has nothing pending any more.
    const first = await viewer.rollouts.get({ tenant: t.slug, id: a.rollout!.id });
    expect(first.targets.map((x) => x.state)).toEqual(Array(4).fill("SUPERSEDED"));
    expect(first.outcome).toBe("done");
    await setRolloutDefaults(owner, {});
  });

  test("the plan shown before saving: labelled canaries first, then batches, by the tenant's default", async () => {
    const cs = await Promise.all([0, 1, 2, 3, 4].map(() => makeCluster(t.id)));
    await db().cluster.updateMany({ where: { id: cs[3]!.id, tenantId: t.id }, data: { labels: { "isthmus.io/canary": "true" } } });
    await setRolloutDefaults(tenantCtx(t, "OWNER"), { strategy: "WAVES", batchSize: 2 });
    const viewer = userCaller(t.members.VIEWER);
    const plan = await viewer.rollouts.plan({ tenant: t.slug, clusters: cs.map((c) => c.name) });
    const rest = cs
      .filter((_, i) => i !== 3)
      .map((c) => c.name)
      .sort();
    expect(plan.waves).toEqual([[cs[3]!.name], rest.slice(0, 2), rest.slice(2)]);
    expect((await viewer.rollouts.plan({ tenant: t.slug, clusters: cs.map((c) => c.name), rollout: { strategy: "ALL_AT_ONCE" } })).waves).toHaveLength(1);
    await setRolloutDefaults(tenantCtx(t, "OWNER"), {});
  });

  test("bad options are refused naming the field", async () => {
    const caller = userCaller(t.members.OPERATOR);
    const [c] = [await makeCluster(t.id)];
    await expect(
      caller.slices.create({ tenant: t.slug, name: "bad-opts", subnet: nextSubnet(), members: [c.name], rollout: { strategy: "WAVES", canary: 150 } }),
    ).rejects.toThrow(/canary/);
  });
});

describe("controls", () => {
  test("pause, resume and roll back a running rollout of a QoS profile change; each audited", async () => {
    const ctx = tenantCtx(t, "OPERATOR");
    const [x, y] = [await makeCluster(t.id), await makeCluster(t.id)];
    await createQosProfile(ctx, { name: "ctl-qos", priority: 1, bandwidthCeilingKbps: 2000, bandwidthGuaranteedKbps: 1000, dscpClass: "AF41" });
    await saveSlice(ctx, { spec: { name: "ctl", subnet: nextSubnet(), members: [x.name, y.name], qosProfile: "ctl-qos" } });
    const before = await db().configRevision.findFirstOrThrow({ where: { tenantId: t.id, clusterId: x.id }, orderBy: { revision: "desc" } });
    await heard(x.id);
    await heard(y.id);
    const profile = await db().qosProfile.findFirstOrThrow({ where: { tenantId: t.id, name: "ctl-qos" } });
    const changed = await updateQosProfile(ctx, profile.id, { priority: 4 }, undefined, {
      strategy: "WAVES",
      canary: 50,
      batchSize: 1,
      deadlineSeconds: 600,
      soakSeconds: 0,
    });
    expect(changed.rollout).toMatchObject({ status: "RUNNING", waveCount: 2 });
    const id = changed.rollout!.id;
    const op = userCaller(t.members.OPERATOR);

    const paused = await op.rollouts.pause({ tenant: t.slug, id });
    expect(paused.status).toBe("PAUSED");
    await expect(op.rollouts.pause({ tenant: t.slug, id })).rejects.toThrow(/cannot pause a rollout that is paused/);
    expect((await op.rollouts.resume({ tenant: t.slug, id })).status).toBe("RUNNING");

    const rolled = await op.rollouts.rollback({ tenant: t.slug, id });
    expect(rolled.status).toBe("ROLLED_BACK");
    expect(rolled.failure).toMatch(/^rolled back by /);
    const canary = rolled.targets.find((tg) => tg.wave === 0)!;
    expect(canary.state).toBe("ROLLED_BACK");
    expect(rolled.targets.find((tg) => tg.wave === 1)!.state).toBe("CANCELLED");
    // The changed cluster runs its previous content again, as a new revision.
    const now = await db().configRevision.findFirstOrThrow({ where: { tenantId: t.id, clusterId: canary.clusterId }, orderBy: { revision: "desc" } });
    expect(now.revision).toBe(canary.rollbackRevision);
    const previous = await db().configRevision.findFirstOrThrow({ where: { tenantId: t.id, clusterId: canary.clusterId, revision: canary.fromRevision! } });
    expect(now.hash).toBe(previous.hash);
    if (canary.clusterId === x.id) expect(previous.hash).toBe(before.hash);

    const audit = await db().auditLog.findMany({ where: { tenantId: t.id, targetType: "rollout", targetId: id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["rollout.pause", "rollout.resume", "rollout.rollback"]);
    expect((await op.rollouts.list({ tenant: t.slug })).items.some((r) => r.id === id && r.status === "ROLLED_BACK")).toBe(true);
  });
});

describe("REST", () => {
  test("a slice change answers with its rollout; GET /rollouts and /rollouts/{id}; POST /rollouts/{id}/pause; bad options are a 400 naming the field", async () => {
    const { token } = await tokenCaller(t, "OPERATOR");
    const rest = (method: string, path: string, body?: unknown) => {
      const headers = new Headers({ "content-type": "application/json", authorization: `Bearer ${token}` });
      const req = new Request(`http://localhost/api/v1${path}?tenant=${t.slug}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return handleRest(req, { createContext: (r) => createRequestContext({ headers: r.headers, getSessionUser: async () => null }) });
    };
    const [x, y] = [await makeCluster(t.id), await makeCluster(t.id)];
    await heard(x.id);
    const created = await rest("POST", "/slices", {
      name: "over-rest",
      subnet: nextSubnet(),
      members: [x.name, y.name],
      rollout: { strategy: "WAVES", canary: 50, batchSize: 1, soakSeconds: 0 },
    });
    expect(created.ok).toBe(true);
    const { rollout } = (await created.json()) as { rollout: { id: string; status: string; waveCount: number } };
    expect(rollout).toMatchObject({ status: "RUNNING", waveCount: 2 });
    const list = (await (await rest("GET", "/rollouts")).json()) as { items: Array<{ id: string }> };
    expect(list.items.map((r) => r.id)).toContain(rollout.id);
    const one = await rest("GET", `/rollouts/${rollout.id}`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { targets: unknown[] }).targets).toHaveLength(2);
    const paused = await rest("POST", `/rollouts/${rollout.id}/pause`, {});
    expect(paused.status).toBe(200);
    expect(((await paused.json()) as { status: string }).status).toBe("PAUSED");
    const again = await rest("POST", `/rollouts/${rollout.id}/pause`, {});
    expect(again.status).toBe(409);
    const bad = await rest("POST", "/slices", { name: "bad-rest", subnet: nextSubnet(), members: [x.name], rollout: { strategy: "SOMETIMES" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("rollout.strategy");
  });
});
