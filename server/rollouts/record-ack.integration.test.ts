// Acks against a wave larger than one ack batch, all sent at once (so batches commit side
// by side, each seeing the other's targets still waiting): every target moves, and the
// wave's end still asks for the rollout's next step. And the batch's edges: two acks of
// one cluster, an ack whose cluster is gone.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant, type TenantFixture } from "../../test/fixtures";
import { clusterInfo, makeRegistrationToken } from "../agent-api/test-helpers";
import { registerCluster } from "../clusters/register-cluster";
import { db } from "../platform/db/client";
import { ackHooks } from "./ack-target";
import { ACK_BATCH } from "./ack-batch";
import { recordAck } from "./record-ack";

const N = ACK_BATCH + 10;
let t: TenantFixture;
let agents: Array<{ clusterId: string; clusterName: string; revision: number; hash: string }> = [];

beforeAll(async () => {
  t = await makeTenant("ackwave");
  const { token } = await makeRegistrationToken(t, { unlimited: true });
  for (let i = 0; i < N; i++)
    await registerCluster({ token, cluster: clusterInfo({ name: `w-${String(i).padStart(3, "0")}` }), agentVersion: "0.1.0" }, "127.0.0.1", {
      ratePerMinute: 1e9,
    });
  const clusters = await db().cluster.findMany({ where: { tenantId: t.id }, select: { id: true, name: true } });
  const revisions = await db().configRevision.findMany({
    where: { tenantId: t.id },
    select: { clusterId: true, revision: true, hash: true },
    orderBy: { revision: "desc" },
  });
  agents = clusters.map((c) => {
    const r = revisions.find((x) => x.clusterId === c.id)!;
    return { clusterId: c.id, clusterName: c.name, revision: r.revision, hash: r.hash };
  });
});

afterAll(() => {
  ackHooks.poke = undefined;
});

const principal = (a: (typeof agents)[number]) => ({
  credentialId: "test",
  clusterId: a.clusterId,
  clusterName: a.clusterName,
  tenantId: t.id,
  tenantSlug: t.slug,
  leaseDurationSeconds: 15,
});

describe("acks of a large wave", () => {
  test(`${N} targets acked at once: every one APPLIED, and the wave's end asks for the next step`, async () => {
    const rollout = await db().rollout.create({
      data: { tenantId: t.id, strategy: "ALL_AT_ONCE", status: "RUNNING", reason: "test", actorType: "SYSTEM", waveCount: 1 },
    });
    await db().rolloutTarget.createMany({
      data: agents.map((a) => ({
        tenantId: t.id,
        rolloutId: rollout.id,
        clusterId: a.clusterId,
        clusterName: a.clusterName,
        state: "PUBLISHED",
        wave: 0,
        toRevision: a.revision,
        hash: a.hash,
        publishedAt: new Date(),
      })),
    });
    const pokes: string[] = [];
    ackHooks.poke = (id) => void pokes.push(id);
    await Promise.all(agents.map((a) => recordAck(principal(a), { revision: a.revision, hash: a.hash, status: "APPLIED" })));
    const states = await db().rolloutTarget.groupBy({ by: ["state"], where: { rolloutId: rollout.id, tenantId: t.id }, _count: true });
    expect(states.map((s) => [s.state, s._count])).toEqual([["APPLIED", N]]);
    expect(pokes.length).toBeGreaterThanOrEqual(1);
    expect(new Set(pokes)).toEqual(new Set([rollout.id]));
    const applied = await db().cluster.findMany({ where: { tenantId: t.id }, select: { appliedRevision: true, desiredRevision: true } });
    expect(applied.every((c) => c.appliedRevision === c.desiredRevision && c.appliedRevision > 0)).toBe(true);
  });

  test("a second ack of the same revision keeps the history and moves nothing back", async () => {
    const a = agents[0]!;
    await recordAck(principal(a), { revision: a.revision, hash: a.hash, status: "APPLIED" });
    const acks = await db().configAck.count({ where: { tenantId: t.id, clusterId: a.clusterId } });
    expect(acks).toBe(2);
    const c = await db().cluster.findFirstOrThrow({ where: { id: a.clusterId, tenantId: t.id }, select: { appliedRevision: true } });
    expect(c.appliedRevision).toBe(a.revision);
  });

  test("two acks of one cluster sent together: both kept, and the applied revision is the newer one", async () => {
    const a = agents[1]!;
    const next = a.revision + 1;
    await db().configRevision.create({ data: { tenantId: t.id, clusterId: a.clusterId, revision: next, hash: "h-next", bundle: {} } });
    await Promise.all([
      recordAck(principal(a), { revision: next, hash: "h-next", status: "APPLIED" }),
      recordAck(principal(a), { revision: a.revision, hash: a.hash, status: "APPLIED" }),
    ]);
    const c = await db().cluster.findFirstOrThrow({ where: { id: a.clusterId, tenantId: t.id }, select: { appliedRevision: true } });
    expect(c.appliedRevision).toBe(next);
    expect(await db().configAck.count({ where: { tenantId: t.id, clusterId: a.clusterId } })).toBe(3);
  });

  test("an ack whose cluster was deleted a moment ago fails alone; the acks beside it are kept", async () => {
    const [gone, kept] = [agents[2]!, agents[3]!];
    await db().cluster.deleteMany({ where: { id: gone.clusterId, tenantId: t.id } });
    const results = await Promise.allSettled([
      recordAck(principal(gone), { revision: gone.revision, hash: gone.hash, status: "APPLIED" }),
      recordAck(principal(kept), { revision: kept.revision, hash: kept.hash, status: "APPLIED" }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    expect(await db().configAck.count({ where: { tenantId: t.id, clusterId: kept.clusterId } })).toBe(2);
  });
});
