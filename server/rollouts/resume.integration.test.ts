// A rollout survives its workers and its Redis: the worker process driving a WAVES
// rollout is killed (SIGKILL) mid-rollout, Redis restarts empty, a new worker process
// starts, and the rollout resumes from Postgres where it was and finishes — every
// cluster got its revision exactly once.
//
// Runs against a database and a redis-server of its own (Redis is restarted empty here);
// the worker runs as a child process started by this test; the agent API and six
// simulated agents run in this process.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { AgentClient } from "../../agent/client";
import { silentLogger } from "../../agent/logger";
import { ClusterRunner } from "../../agent/runner";
import { clusterStateDir, FileStore } from "../../agent/store";
import { SimulatedTarget } from "../../agent/targets/simulated";
import { privateStack, type PrivateDatabase, type PrivateRedis } from "../../test/private-stack";
import { freePort } from "../../test/services";
import { FINISHED_STATUSES } from "./schema";

const ROOT = path.resolve(import.meta.dirname, "../..");
const AGENTS = 6;
const work = mkdtempSync(path.join(os.tmpdir(), "isthmus-rollout-resume-"));
let database: PrivateDatabase;
let redisServer: PrivateRedis;
let worker: ChildProcess | undefined;
const runners: ClusterRunner[] = [];

// Loaded once the environment points at the private servers (each reads it once).
let m: {
  db: typeof import("../platform/db/client");
  redis: typeof import("../platform/redis");
  fixtures: typeof import("../../test/fixtures");
  helpers: typeof import("../agent-api/test-helpers");
  slices: typeof import("../slices/save-slice");
  rollouts: typeof import("./list-rollouts");
};
let api: Awaited<ReturnType<typeof import("../agent-api/test-helpers").startTestApi>> | undefined;

async function startWorker() {
  const out = openSync(path.join(work, "workers.log"), "a");
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    REDIS_URL: redisServer.url,
    LOG_LEVEL: "warn",
    WORKERS_HEALTH_PORT: String(await freePort()),
    WORKERS_NICE: "0",
  };
  worker = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], { cwd: ROOT, env, stdio: ["ignore", out, out] });
  closeSync(out);
}

async function killWorker() {
  const p = worker;
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once("exit", r));
  p.kill("SIGKILL");
  await gone;
}

beforeAll(async () => {
  ({ database, redisServer } = await privateStack());
  m = {
    db: await import("../platform/db/client"),
    redis: await import("../platform/redis"),
    fixtures: await import("../../test/fixtures"),
    helpers: await import("../agent-api/test-helpers"),
    slices: await import("../slices/save-slice"),
    rollouts: await import("./list-rollouts"),
  };
}, 60_000);

afterAll(async () => {
  await Promise.all(runners.map((r) => r.stop()));
  const closed = api?.api.close();
  const force = setInterval(() => api?.api.server.closeAllConnections(), 1_000);
  await closed;
  clearInterval(force);
  await killWorker();
  await m?.redis.closeRedis();
  await m?.db.closeDb();
  await redisServer?.stop();
  await database?.drop();
  rmSync(work, { recursive: true, force: true });
}, 60_000);

test("worker killed and Redis emptied mid-rollout: a new worker resumes it from Postgres, publishing each cluster once", { timeout: 180_000 }, async (ctx) => {
  ctx.onTestFailed(() =>
    console.error(`---- workers (last lines) ----\n${readFileSync(path.join(work, "workers.log"), "utf8").split("\n").slice(-40).join("\n")}`),
  );
  const t = await m.fixtures.makeTenant("rollout-resume");
  api = await m.helpers.startTestApi();
  const token = (await m.helpers.makeRegistrationToken(t, { unlimited: true })).token;
  const serverUrl = api.base.replace(/\/api\/agent\/v1$/, "");
  const seed = randomBytes(3).readUIntBE(0, 3);
  for (let i = 0; i < AGENTS; i++) {
    const runner = new ClusterRunner({
      client: new AgentClient({ serverUrl, timeoutMs: 5_000 }),
      target: new SimulatedTarget({ profile: "cloud", seed, index: i, total: AGENTS, namePrefix: `resume-${i}`, flapRate: 0 }),
      serverUrl,
      token: () => token,
      storeFor: (uid) => new FileStore(clusterStateDir(work, uid)),
      logger: silentLogger,
      heartbeatIntervalMs: 300,
      waitSeconds: 2,
      backoff: { baseMs: 50, capMs: 500 },
    });
    runners.push(runner);
    void runner.run();
  }
  const poll = { timeout: 90_000, interval: 200 };
  await expect.poll(() => runners.every((r) => r.clusterId), poll).toBe(true);
  const clusters = await m.db.db().cluster.findMany({ where: { tenantId: t.id }, select: { id: true, name: true } });
  await startWorker();
  // Each enrolment delivered its first revision as a rollout. A change made while one is
  // still waiting for its ack queues behind it, and the earlier rollout, compiling its
  // bundle when it starts, would deliver the slice too (this one's target then UNCHANGED).
  await expect.poll(() => m.db.db().rollout.count({ where: { tenantId: t.id, status: { notIn: [...FINISHED_STATUSES] } } }), poll).toBe(0);

  // Six waves of one cluster each, a second of soak after each: only the worker moves it on.
  const saved = await m.slices.saveSlice(m.fixtures.tenantCtx(t, "OPERATOR"), {
    // Outside 10.0.0.0/8, where simulated clusters take their pod ranges at a random offset.
    spec: { name: "resumed", subnet: "192.168.0.0/16", members: clusters.map((c) => c.name) },
    rollout: { strategy: "WAVES", canary: 1, batchSize: 1, deadlineSeconds: 120, soakSeconds: 1 },
  });
  const id = saved.rollout!.id;
  const view = () => m.rollouts.getRollout(m.fixtures.tenantCtx(t, "VIEWER"), id);
  await expect.poll(async () => (await view()).currentWave, poll).toBeGreaterThanOrEqual(2);

  await killWorker();
  const atKill = await view();
  expect(atKill.status).toBe("RUNNING");
  await redisServer.restart();
  await startWorker();

  await expect.poll(async () => (await view()).status, poll).toBe("DONE");
  const done = await view();
  expect(done.currentWave).toBeGreaterThan(atKill.currentWave);
  expect(done.targets.map((x) => x.state)).toEqual(Array(AGENTS).fill("APPLIED"));
  for (const target of done.targets) {
    // Exactly one revision was published for the change: the one after the cluster's previous.
    expect(target.toRevision).toBe(target.fromRevision! + 1);
    const latest = await m.db
      .db()
      .configRevision.findFirst({ where: { tenantId: t.id, clusterId: target.clusterId }, orderBy: { revision: "desc" }, select: { revision: true } });
    expect(latest!.revision).toBe(target.toRevision);
  }
});
