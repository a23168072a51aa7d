// Chaos: the control plane's processes and its Redis die in turn under a fleet of
// simulated agents, and the fleet comes through: every cluster AVAILABLE again, every
// slice with the same members and links, every revision applied, and lease evaluation
// still working (a cluster whose agent then stops goes UNKNOWN, and back).
//
// The agent API and the workers run as child processes (as in production), against a
// database and a redis-server of this file's own: Redis is killed and restarted empty,
// and the workers' lease evaluation sweeps every tenant of its database. The agents run
// in this process (agent/runner.ts, simulated target) with a 1 s heartbeat and short
// backoff, so the whole run stays well under a minute on a busy machine.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { AgentClient } from "../agent/client";
import { createLogger } from "../agent/logger";
import { ClusterRunner } from "../agent/runner";
import { clusterStateDir, FileStore } from "../agent/store";
import { SimulatedTarget } from "../agent/targets/simulated";
import { privateStack, type PrivateDatabase, type PrivateRedis } from "./private-stack";
import { freePort } from "./services";

const ROOT = path.resolve(import.meta.dirname, "..");
const AGENTS = 4;
const work = mkdtempSync(path.join(os.tmpdir(), "isthmus-chaos-"));

let database: PrivateDatabase;
let redisServer: PrivateRedis;
let apiPort: number;
let healthPort: number;
let apiUrl: string;
const procs: Record<"agent-api" | "workers", ChildProcess | undefined> = { "agent-api": undefined, workers: undefined };
const runners: Array<ClusterRunner | undefined> = [];
let token = "";

// Loaded after the environment points at the private servers (each reads it once).
let m: {
  db: typeof import("../server/platform/db/client");
  redis: typeof import("../server/platform/redis");
  fixtures: typeof import("./fixtures");
  tokens: typeof import("../server/registration-tokens/create-registration-token");
  slices: typeof import("../server/slices/save-slice");
  preview: typeof import("../server/slices/preview-slice");
};

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: database.url, REDIS_URL: redisServer.url, LOG_LEVEL: "warn", LEASE_DURATION_SECONDS: "5", ...extra };
}

/** Start one control-plane process; its output goes to a file, shown if the test fails. */
function startProcess(name: "agent-api" | "workers") {
  const out = openSync(path.join(work, `${name}.log`), "a");
  const args = name === "agent-api" ? ["--import", "tsx", "server/agent-api/main.ts"] : ["--import", "tsx", "workers/index.ts"];
  const env =
    name === "agent-api"
      ? childEnv({ AGENT_API_PORT: String(apiPort), AGENT_API_HOST: "127.0.0.1", AGENT_API_FLUSH_MS: "0" })
      : childEnv({ WORKERS_HEALTH_PORT: String(healthPort), WORKERS_NICE: "0" });
  procs[name] = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", out, out] });
  closeSync(out);
}

async function killProcess(name: "agent-api" | "workers") {
  const p = procs[name];
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once("exit", r));
  p.kill("SIGKILL");
  await gone;
}

const ok = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.ok,
    () => false,
  );
const apiUp = () => ok(`http://127.0.0.1:${apiPort}/healthz`);
const workersReady = () => ok(`http://127.0.0.1:${healthPort}/readyz`);

function startAgent(i: number) {
  const runner = new ClusterRunner({
    client: new AgentClient({ serverUrl: apiUrl, timeoutMs: 5_000 }),
    target: new SimulatedTarget({ profile: "cloud", seed: 1515, index: i, total: AGENTS, namePrefix: `chaos-${i}` }),
    serverUrl: apiUrl,
    token: () => token,
    storeFor: (uid) => new FileStore(clusterStateDir(path.join(work, "agents"), uid)),
    logger: createLogger("silent"),
    heartbeatIntervalMs: 1_000,
    waitSeconds: 5,
    backoff: { baseMs: 200, capMs: 1_000 },
  });
  runners[i] = runner;
  void runner.run();
}

beforeAll(async () => {
  ({ database, redisServer } = await privateStack());
  m = {
    db: await import("../server/platform/db/client"),
    redis: await import("../server/platform/redis"),
    fixtures: await import("./fixtures"),
    tokens: await import("../server/registration-tokens/create-registration-token"),
    slices: await import("../server/slices/save-slice"),
    preview: await import("../server/slices/preview-slice"),
  };
  apiPort = await freePort();
  healthPort = await freePort();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  startProcess("agent-api");
  startProcess("workers");
});

afterAll(async () => {
  await Promise.all(runners.map((r) => r?.stop()));
  await killProcess("agent-api");
  await killProcess("workers");
  await m?.redis.closeRedis();
  await m?.db.closeDb();
  await redisServer?.stop();
  await database?.drop();
  rmSync(work, { recursive: true, force: true });
});

test("Redis, the workers and the agent API killed in turn: every cluster AVAILABLE again and every slice intact", { timeout: 180_000 }, async (ctx) => {
  ctx.onTestFailed(() => {
    for (const name of ["agent-api", "workers"]) {
      const log = readFileSync(path.join(work, `${name}.log`), "utf8")
        .split("\n")
        .slice(-40)
        .join("\n");
      console.error(`---- ${name} (last lines) ----\n${log}`);
    }
  });
  const db = () => m.db.db();
  const t = await m.fixtures.makeTenant("chaos");
  const tctx = m.fixtures.tenantCtx(t);
  token = (await m.tokens.createRegistrationToken(tctx, { name: "chaos", maxUses: 100 })).token;
  const poll = { timeout: 60_000, interval: 250 };

  await expect.poll(apiUp, poll).toBe(true);
  await expect.poll(workersReady, poll).toBe(true);
  for (let i = 0; i < AGENTS; i++) startAgent(i);

  const clusters = () => db().cluster.findMany({ where: { tenantId: t.id }, orderBy: { name: "asc" } });
  /** Every cluster AVAILABLE, with a heartbeat flushed to Postgres after `since`. */
  const allHeardSince = async (since: Date) => {
    const cs = await clusters();
    return cs.length === AGENTS && cs.every((c) => c.availability === "AVAILABLE" && c.lastSeenAt !== null && c.lastSeenAt > since);
  };
  await expect.poll(() => allHeardSince(new Date(0)), poll).toBe(true);

  // A slice across the fleet; its revisions reach every cluster.
  const { subnet } = await m.preview.suggestSliceSubnet(tctx);
  const before = await clusters();
  const saved = await m.slices.saveSlice(tctx, { force: true, spec: { name: "chaos-mesh", subnet, members: before.map((c) => c.name) } });
  const converged = async () => (await clusters()).every((c) => c.desiredRevision > 0 && c.appliedRevision >= c.desiredRevision);
  await expect.poll(converged, poll).toBe(true);
  const sliceShape = async () => ({
    members: await db().sliceMember.findMany({
      where: { tenantId: t.id, sliceId: saved.id },
      select: { clusterId: true, index: true, subnet: true },
      orderBy: { clusterId: "asc" },
    }),
    links: await db().gatewayLink.findMany({
      where: { tenantId: t.id, sliceId: saved.id },
      select: { id: true, serverClusterId: true, clientClusterId: true, tunnelIndex: true, serverTunnelIp: true, clientTunnelIp: true },
      orderBy: { id: "asc" },
    }),
  });
  const shape = await sliceShape();
  expect(shape.members).toHaveLength(AGENTS);
  expect(shape.links.length).toBeGreaterThan(0);

  // 1. Redis dies and comes back empty: schedules, hot state and queues are gone.
  await redisServer.kill();
  await redisServer.restart();
  const redisBack = new Date();
  await expect.poll(workersReady, poll).toBe(true);
  await expect.poll(() => allHeardSince(redisBack), poll).toBe(true);

  // 2. The workers are killed and started again.
  await killProcess("workers");
  startProcess("workers");
  const workersBack = new Date();
  await expect.poll(workersReady, poll).toBe(true);
  await expect.poll(() => allHeardSince(workersBack), poll).toBe(true);

  // 3. The agent API is killed; the agents retry until it is back.
  await killProcess("agent-api");
  startProcess("agent-api");
  await expect.poll(apiUp, poll).toBe(true);
  const apiBack = new Date();
  await expect.poll(() => allHeardSince(apiBack), poll).toBe(true);

  // Lease evaluation still works after all that: the first agent stops (with a 1 s lease
  // its cluster is UNKNOWN after 3 s of silence), then comes back.
  const canary = before[0]!;
  await db().cluster.update({ where: { id: canary.id }, data: { leaseDurationSeconds: 1 } });
  const index = runners.findIndex((r) => r?.clusterId === canary.id);
  expect(index).toBeGreaterThanOrEqual(0);
  await runners[index]!.stop();
  await expect.poll(async () => (await db().cluster.findUniqueOrThrow({ where: { id: canary.id } })).availability, poll).toBe("UNKNOWN");
  // Back to the fleet's lease, so a busy moment cannot flap it while the end state is read.
  await db().cluster.update({ where: { id: canary.id }, data: { leaseDurationSeconds: 5 } });
  const restarted = new Date();
  startAgent(index);
  await expect.poll(() => allHeardSince(restarted), poll).toBe(true);

  // The end state: the same clusters (none enrolled twice), all AVAILABLE, the slice
  // unchanged, every revision applied, and no availability warning left open.
  const after = await clusters();
  expect(after.map((c) => [c.id, c.name, c.availability])).toEqual(before.map((c) => [c.id, c.name, "AVAILABLE"]));
  expect(await sliceShape()).toEqual(shape);
  await expect.poll(converged, poll).toBe(true);
  const open = await db().event.findMany({ where: { tenantId: t.id, type: "cluster.unknown", resolvedAt: null }, select: { clusterId: true } });
  expect(open).toEqual([]);
});
