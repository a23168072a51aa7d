// Rollouts against 20 simulated agents (agent/runner.ts, simulated target) talking to a
// real agent API on 127.0.0.1, with real Postgres and Redis. The rollouts are stepped by
// the reconciler pass (what the rollouts.reconcile schedule runs) and by the acks
// themselves; the test waits for outcomes and never asserts timings.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Bundle } from "../../protocol/index";
import { AgentClient } from "../../agent/client";
import { silentLogger } from "../../agent/logger";
import { ClusterRunner } from "../../agent/runner";
import { clusterStateDir, FileStore } from "../../agent/store";
import { SimulatedTarget, simulatedCidrs } from "../../agent/targets/simulated";
import type { ApplyResult, ComponentStatus } from "../../agent/targets/types";
import { makeTenant, tenantCtx, type TenantFixture } from "../../test/fixtures";
import { makeRegistrationToken, startTestApi, type TestApi } from "../agent-api/test-helpers";
import { hotStateKey } from "../hot-state/keys";
import { db } from "../platform/db/client";
import { redis } from "../platform/redis";
import { deleteSlice } from "../slices/delete-slice";
import { saveSlice } from "../slices/save-slice";
import { ackHooks } from "./ack-target";
import { getRollout } from "./list-rollouts";
import { advanceRolloutById, reconcileRollouts } from "./reconcile-rollouts";

const AGENTS = 20;
const SEED = randomBytes(3).readUIntBE(0, 3);
const work = mkdtempSync(path.join(os.tmpdir(), "isthmus-rollouts-"));

/** A simulated cluster that can be told to fail an apply, or to fall ill after one. */
class TestTarget extends SimulatedTarget {
  failWhen: (bundle: Bundle) => string | null = () => null;
  sickAfter: (bundle: Bundle) => boolean = () => false;
  sick = false;
  /** Online but silent: an apply of a matching bundle hangs (no ack) until release() is called. */
  holdWhen: (bundle: Bundle) => boolean = () => false;
  private held: Array<() => void> = [];
  release() {
    this.holdWhen = () => false;
    for (const go of this.held.splice(0)) go();
  }
  override async apply(bundle: Bundle, revision: number): Promise<ApplyResult> {
    if (this.holdWhen(bundle)) await new Promise<void>((go) => this.held.push(go));
    const why = this.failWhen(bundle);
    if (why) return { ok: false, message: why, objects: [] };
    const res = await super.apply(bundle, revision);
    if (this.sickAfter(bundle)) this.sick = true;
    return res;
  }
  override components(): ComponentStatus[] {
    return this.sick ? [{ name: "simulated-cluster", status: "FAILED", message: "dataplane pod in CrashLoopBackOff" }] : super.components();
  }
}

let t: TenantFixture;
let api: TestApi;
let token = "";
const agents: Array<{ runner: ClusterRunner; target: TestTarget }> = [];
let clusters: Array<{ id: string; name: string }> = [];
let subnet = 0;
// The simulated clusters' pod ranges are /16s of 10.0.0.0/8 at an offset drawn from the
// seed; a slice subnet must not overlap any of them, or its save is refused.
const podRanges = new Set(Array.from({ length: AGENTS }, (_, i) => simulatedCidrs(i, AGENTS, SEED).pod));
const nextSubnet = () => {
  let s: string;
  do s = `10.${60 + subnet++}.0.0/16`;
  while (podRanges.has(s));
  return s;
};
let ticking = true;
let ticker: Promise<void> | undefined;

function startAgent(i: number) {
  const target = new TestTarget({ profile: "cloud", seed: SEED, index: i, total: AGENTS, namePrefix: `ro-${String(i).padStart(2, "0")}`, flapRate: 0 });
  const runner = new ClusterRunner({
    client: new AgentClient({ serverUrl: api.base.replace(/\/api\/agent\/v1$/, ""), timeoutMs: 5_000 }),
    target,
    serverUrl: api.base.replace(/\/api\/agent\/v1$/, ""),
    token: () => token,
    storeFor: (uid) => new FileStore(clusterStateDir(work, uid)),
    logger: silentLogger,
    heartbeatIntervalMs: 300,
    waitSeconds: 2,
    backoff: { baseMs: 50, capMs: 500 },
  });
  agents[i] = { runner, target };
  void runner.run();
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = await probe();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const FINISHED = ["DONE", "FAILED", "CANCELLED", "ROLLED_BACK"];
const finished = (id: string) =>
  until(
    () => getRollout(tenantCtx(t, "VIEWER"), id),
    (r) => FINISHED.includes(r.status),
    `rollout ${id} to finish`,
  );
const names = (idx: number[]) => idx.map((i) => clusters[i]!.name);
const latestBundle = async (clusterId: string) =>
  JSON.stringify(
    (await db().configRevision.findFirst({ where: { tenantId: t.id, clusterId }, orderBy: { revision: "desc" }, select: { bundle: true } }))!.bundle,
  );

beforeAll(async () => {
  t = await makeTenant("rollouts");
  api = await startTestApi();
  token = (await makeRegistrationToken(t, { unlimited: true })).token;
  // Acks ask for the next step in-process (the workers' job would do the same).
  ackHooks.poke = async (rolloutId) => {
    await advanceRolloutById(rolloutId);
  };
  for (let i = 0; i < AGENTS; i++) startAgent(i);
  await until(() => Promise.resolve(agents.every((a) => a.runner.clusterId)), Boolean, "every agent to enrol");
  clusters = await Promise.all(
    agents.map(async (a) => db().cluster.findFirstOrThrow({ where: { id: a.runner.clusterId!, tenantId: t.id }, select: { id: true, name: true } })),
  );
  // Every agent heard from (hot state in Redis) before the first change.
  await until(
    () => Promise.all(clusters.map((c) => redis().hget(hotStateKey(c.id), "lastSeen"))),
    (v) => v.every(Boolean),
    "first heartbeats",
  );
  // The reconciler pass, as the rollouts.reconcile schedule runs it.
  ticker = (async () => {
    while (ticking) {
      await reconcileRollouts({ tenantId: t.id }).catch(() => {});
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  // Each enrolment delivered its first revision as a rollout; a change made while one is
  // still waiting for its ack would queue behind it.
  await until(
    () => db().rollout.count({ where: { tenantId: t.id, status: { notIn: FINISHED } } }),
    (n) => n === 0,
    "the enrolment rollouts to finish",
  );
}, 120_000);

afterAll(async () => {
  ticking = false;
  await ticker;
  delete ackHooks.poke;
  await Promise.all(agents.map((a) => a?.runner.stop()));
  // Sockets the stopped agents' HTTP client keeps open would hold close() up.
  const closed = api?.api.close();
  const force = setInterval(() => api?.api.server.closeAllConnections(), 1_000);
  await closed;
  clearInterval(force);
  rmSync(work, { recursive: true, force: true });
}, 60_000);

describe("waves", () => {
  test("20 agents: a canary wave, then batches; each wave published only after the one before acked APPLIED", async () => {
    const saved = await saveSlice(tenantCtx(t, "OPERATOR"), {
      spec: { name: "waves-ok", subnet: nextSubnet(), members: names([...Array(AGENTS).keys()]), maxClusters: 32 },
      rollout: { strategy: "WAVES", canary: 10, batchSize: 6, deadlineSeconds: 120, soakSeconds: 0 },
    });
    expect(saved.rollout).toMatchObject({ strategy: "WAVES", waveCount: 4 });
    // Only the canary went out with the request.
    expect(Object.keys(saved.revisions).sort()).toEqual([clusters[0]!.id, clusters[1]!.id].sort());
    const r = await finished(saved.rollout!.id);
    expect(r.status).toBe("DONE");
    expect(r.outcome).toBe("done");
    expect(r.targets.map((x) => x.state)).toEqual(Array(AGENTS).fill("APPLIED"));
    const waves = [0, 1, 2, 3].map((w) => r.targets.filter((x) => x.wave === w));
    expect(waves.map((w) => w.length)).toEqual([2, 6, 6, 6]);
    expect(waves[0]!.map((x) => x.clusterName).sort()).toEqual(names([0, 1]).sort());
    for (let w = 1; w < 4; w++) {
      const lastAck = Math.max(...waves[w - 1]!.map((x) => x.ackedAt!.getTime()));
      for (const x of waves[w]!) expect(x.publishedAt!.getTime()).toBeGreaterThanOrEqual(lastAck);
    }
    for (const c of clusters) expect(await latestBundle(c.id)).toContain("waves-ok");
  });

  test("an apply failure in wave 2 stops the rollout, rolls back waves 1 and 2, and names the cluster and its error", async () => {
    const victim = agents[4]!.target;
    victim.failWhen = (b) => (JSON.stringify(b).includes("bad-change") ? 'admission webhook "policy.example.com" denied NetworkPolicy/bad' : null);
    const saved = await saveSlice(tenantCtx(t, "OPERATOR"), {
      spec: { name: "bad-change", subnet: nextSubnet(), members: names([...Array(AGENTS).keys()]), maxClusters: 32 },
      rollout: { strategy: "WAVES", canary: 10, batchSize: 6, deadlineSeconds: 120, soakSeconds: 0 },
    });
    const r = await finished(saved.rollout!.id);
    expect(r.status).toBe("FAILED");
    expect(r.failure).toContain(clusters[4]!.name);
    expect(r.failure).toContain("denied NetworkPolicy/bad");
    expect(r.evidence).toMatchObject({ cluster: clusters[4]!.name, wave: 1, ack: "FAILED" });
    const byWave = (w: number) => r.targets.filter((x) => x.wave === w).map((x) => x.state);
    expect(byWave(0)).toEqual(["ROLLED_BACK", "ROLLED_BACK"]);
    expect(byWave(1)).toEqual(Array(6).fill("ROLLED_BACK"));
    expect([...byWave(2), ...byWave(3)]).toEqual(Array(12).fill("CANCELLED"));
    // Every cluster runs what it ran before: the rollbacks reached the agents and were applied.
    for (const [i, c] of clusters.entries()) {
      expect(await latestBundle(c.id)).not.toContain("bad-change");
      expect(await latestBundle(c.id)).toContain("waves-ok");
      if (i !== 4)
        await until(
          () => Promise.resolve(agents[i]!.runner.appliedRevision),
          (rev) => rev === (r.targets.find((x) => x.clusterId === c.id)!.rollbackRevision ?? rev),
          `${c.name} to apply its rollback`,
        );
    }
    victim.failWhen = () => null;
    const cleanup = await deleteSlice(tenantCtx(t, "OPERATOR"), saved.id);
    expect((await finished(cleanup.rollout!.id)).status).toBe("DONE");
  });

  test("a cluster online but silent past the wave's deadline stops the rollout, which names it and rolls back the changed targets", async () => {
    const silent = agents[4]!.target;
    silent.holdWhen = (b) => JSON.stringify(b).includes("never-acked");
    const before = await Promise.all(clusters.map((c) => latestBundle(c.id)));
    const saved = await saveSlice(tenantCtx(t, "OPERATOR"), {
      spec: { name: "never-acked", subnet: nextSubnet(), members: names([...Array(AGENTS).keys()]), maxClusters: 32 },
      rollout: { strategy: "WAVES", canary: 10, batchSize: 6, deadlineSeconds: 8, soakSeconds: 0 },
    });
    const r = await finished(saved.rollout!.id);
    expect(r.status).toBe("FAILED");
    expect(r.failure).toContain("wave 2 missed its deadline of 8 s: no ack from");
    expect(r.failure).toContain(clusters[4]!.name);
    const evidence = r.evidence as { wave: number; deadlineSeconds: number; notAcked: Array<{ cluster: string }> };
    expect(evidence).toMatchObject({ wave: 1, deadlineSeconds: 8 });
    expect(evidence.notAcked.map((x) => x.cluster)).toContain(clusters[4]!.name);
    // The silent cluster stayed online throughout: this is a missed deadline, not an offline target.
    expect(r.targets.some((x) => x.state === "OFFLINE_PENDING")).toBe(false);
    const byWave = (w: number) => r.targets.filter((x) => x.wave === w).map((x) => x.state);
    expect([...byWave(0), ...byWave(1)]).toEqual(Array(8).fill("ROLLED_BACK"));
    expect([...byWave(2), ...byWave(3)]).toEqual(Array(12).fill("CANCELLED"));
    // The silent agent's publish was rolled back too: once it speaks again, every cluster runs what it ran before.
    silent.release();
    for (const [i, c] of clusters.entries()) {
      expect(await latestBundle(c.id)).not.toContain("never-acked");
      expect(JSON.parse(await latestBundle(c.id))).toEqual(JSON.parse(before[i]!));
      const rollback = r.targets.find((x) => x.clusterId === c.id)!.rollbackRevision;
      if (rollback)
        await until(
          () => Promise.resolve(agents[i]!.runner.appliedRevision),
          (rev) => rev === rollback,
          `${c.name} to apply its rollback`,
        );
    }
    const cleanup = await deleteSlice(tenantCtx(t, "OPERATOR"), saved.id);
    expect((await finished(cleanup.rollout!.id)).status).toBe("DONE");
  });

  test("health that worsens in the soak window rolls the wave back, with the regression as evidence", async () => {
    const canary = agents[0]!.target;
    canary.sickAfter = (b) => JSON.stringify(b).includes("sickening");
    const saved = await saveSlice(tenantCtx(t, "OPERATOR"), {
      spec: { name: "sickening", subnet: nextSubnet(), members: names([...Array(AGENTS).keys()]), maxClusters: 32 },
      rollout: { strategy: "WAVES", canary: 10, batchSize: 6, deadlineSeconds: 120, soakSeconds: 30 },
    });
    const r = await finished(saved.rollout!.id);
    expect(r.status).toBe("FAILED");
    expect(r.failure).toContain(`health of ${clusters[0]!.name} got worse during the soak after wave 1`);
    expect(r.failure).toContain("component simulated-cluster: OK → FAILED");
    expect(r.targets.filter((x) => x.wave === 0).map((x) => x.state)).toEqual(["ROLLED_BACK", "ROLLED_BACK"]);
    expect(r.targets.filter((x) => x.wave > 0).every((x) => x.state === "CANCELLED")).toBe(true);
    expect(await latestBundle(clusters[0]!.id)).not.toContain("sickening");
    canary.sickAfter = () => false;
    canary.sick = false;
    const cleanup = await deleteSlice(tenantCtx(t, "OPERATOR"), saved.id);
    expect((await finished(cleanup.rollout!.id)).status).toBe("DONE");
  });
});

describe("one rollout at a time per cluster", () => {
  test("a change touching clusters of a rollout in flight is queued behind it and published only after it finished", async () => {
    const first = await saveSlice(tenantCtx(t, "OPERATOR"), {
      spec: { name: "first-of-two", subnet: nextSubnet(), members: names([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) },
      rollout: { strategy: "WAVES", canary: 20, batchSize: 4, deadlineSeconds: 120, soakSeconds: 1 },
    });
    const second = await saveSlice(tenantCtx(t, "OPERATOR"), {
      spec: { name: "second-of-two", subnet: nextSubnet(), members: names([5, 6, 7, 8, 9, 10, 11, 12]) },
    });
    expect(second.rollout).toMatchObject({ status: "QUEUED", queuedBehind: first.rollout!.id });
    expect(second.revisions).toEqual({});
    const r1 = await finished(first.rollout!.id);
    const r2 = await finished(second.rollout!.id);
    expect([r1.status, r2.status], `${r1.failure} | ${r2.failure}`).toEqual(["DONE", "DONE"]);
    for (const t2 of r2.targets) {
      const t1 = r1.targets.find((x) => x.clusterId === t2.clusterId);
      expect(t2.publishedAt!.getTime()).toBeGreaterThanOrEqual(r1.finishedAt!.getTime());
      // Computed after the first finished: it starts from the first's revision and holds both slices.
      if (t1) expect(t2.fromRevision).toBe(t1.toRevision);
    }
    for (const i of [5, 6, 7, 8, 9]) {
      const b = await latestBundle(clusters[i]!.id);
      expect(b).toContain("first-of-two");
      expect(b).toContain("second-of-two");
    }
  });
});

describe("offline targets", () => {
  test("an offline cluster ends pending, the rollout finishes without it, and it converges when its agent returns", async () => {
    const gone = 19;
    await agents[gone]!.runner.stop();
    // Its last heartbeat is long past: silent for more than three leases.
    await redis().hset(hotStateKey(clusters[gone]!.id), "lastSeen", String(Date.now() - 10 * 60_000));
    const saved = await saveSlice(tenantCtx(t, "OPERATOR"), { spec: { name: "while-away", subnet: nextSubnet(), members: names([15, 16, 17, 18, 19]) } });
    const r = await finished(saved.rollout!.id);
    expect(r.status).toBe("DONE");
    expect(r.outcome).toBe("done, 1 pending (offline)");
    const pending = r.targets.find((x) => x.clusterId === clusters[gone]!.id)!;
    expect(pending.state).toBe("OFFLINE_PENDING");
    startAgent(gone);
    const back = await until(
      () => getRollout(tenantCtx(t, "VIEWER"), r.id),
      (x) => x.targets.find((y) => y.clusterId === clusters[gone]!.id)!.state === "APPLIED",
      "the returning agent to apply its pending revision",
    );
    expect(back.outcome).toBe("done");
    expect(agents[gone]!.runner.appliedRevision).toBe(pending.toRevision);
  });
});
