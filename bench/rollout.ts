// Benchmark: one ALL_AT_ONCE rollout over a connected fleet (DESIGN §6: a change
// reaches 1,000 connected agents and all their acks are recorded within 2 s).
//   npm run bench:rollout -- [--clusters 1000] [--runs 3] [--strategy all|waves] [--soak 1] [--profile <dir>]
// Set-up: a throwaway database, a Redis logical database of its own, N clusters enrolled
// through registerCluster, a QoS profile used by N/2 two-cluster slices (so one profile
// change alters every cluster's bundle), the agent API as its own production process,
// and every agent connected: heard from once (so it counts as online) and holding its
// config long-poll. Each run changes the profile (the publishing request, as the REST
// handler would make it, in this process) and every agent acks what its long-poll
// brought at once. Reported: the request's own time, request → last ack recorded, and
// per agent publish → ack (the rollout target's publishedAt → ackedAt) p50/p99.
// Run it with nobody else on the machine for numbers worth comparing; 10,000 clusters
// need several minutes of set-up and most of the machine.
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { Histogram } from "./lib/histogram";
import { ROOT, freePort, spawnTsx, waitHealthy, type Child } from "./lib/processes";
import type { FromChild, ToChild } from "./rollout/agents-child";
import { claimRedisDb, createThrowawayDatabase, enrolFleet, type ClaimedRedisDb, type ThrowawayDb } from "./lib/setup";

const { values } = parseArgs({
  options: {
    clusters: { type: "string", default: "1000" },
    runs: { type: "string", default: "3" },
    strategy: { type: "string", default: "all" },
    soak: { type: "string", default: "1" },
    // A folder for V8 CPU profiles of the agent API and the workers (summarise them with
    // bench/lib/cpuprofile-top.ts).
    profile: { type: "string" },
  },
});
const N = Number(values.clusters);
const RUNS = Number(values.runs);
if (values.strategy !== "all" && values.strategy !== "waves") throw new Error("--strategy must be all or waves");
// WAVES: 10 % canary, then 5 batches, each wave soaking --soak seconds; the figure that
// matters is the time beyond the waves' own soak (waves × soak).
const SOAK = Number(values.soak);
if (!Number.isInteger(SOAK) || SOAK < 0 || SOAK > 60) throw new Error("--soak must be whole seconds from 0 to 60");
const ROLLOUT =
  values.strategy === "waves"
    ? { strategy: "WAVES" as const, canary: 10, batchSize: Math.ceil((N - Math.max(1, Math.floor(N / 10))) / 5), deadlineSeconds: 120, soakSeconds: SOAK }
    : { strategy: "ALL_AT_ONCE" as const };
if (!Number.isInteger(N) || N < 2 || N > 20_000 || N % 2 !== 0) throw new Error("--clusters must be an even number from 2 to 20000");

const log = (m: string) => process.stdout.write(`${m}\n`);
const f1 = (n: number) => n.toFixed(1);
let db: ThrowawayDb | undefined;
let redisDb: ClaimedRedisDb | undefined;
let api: Child | undefined;
let workers: Child | undefined;
let agentsChild: ChildProcess | undefined;

async function main() {
  const pgServer = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const redisBase = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  redisDb = await claimRedisDb(redisBase);
  db = await createThrowawayDatabase(pgServer);
  process.env.DATABASE_URL = db.url;
  process.env.REDIS_URL = redisDb.url;
  process.env.LOG_LEVEL = "silent";
  const { migrateDeploy } = await import("../server/platform/db/migrate");
  await migrateDeploy(db.url);
  const enrolled = await enrolFleet(N, 8, 900_000, (done) => log(`  enrolled ${done}/${N}`));
  log(`enrolled ${N} clusters in ${f1(enrolled.enrolMs / 1000)} s`);

  const { db: prisma } = await import("../server/platform/db/client");
  const tenant = await prisma().tenant.findFirstOrThrow({ where: { slug: { startsWith: "bench-" } }, select: { id: true, slug: true } });
  const ctx = { tenantId: tenant.id, tenantSlug: tenant.slug, role: "OWNER" as const, actor: { type: "SYSTEM" as const, label: "bench" } };
  const { createQosProfile } = await import("../server/qos-profiles/create-qos-profile");
  const { updateQosProfile } = await import("../server/qos-profiles/update-qos-profile");
  const { saveSlice } = await import("../server/slices/save-slice");
  const profile = await createQosProfile(ctx, {
    name: "bench-qos",
    priority: 1,
    bandwidthCeilingKbps: 20_000,
    bandwidthGuaranteedKbps: 1_000,
    dscpClass: "AF41",
  });
  const names = await prisma().cluster.findMany({ where: { tenantId: tenant.id }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const tSlices = performance.now();
  // Nobody is connected yet: these rollouts publish and finish at once (targets pending offline).
  for (let k = 0; k < N / 2; k++) {
    await saveSlice(ctx, {
      spec: {
        name: `pair-${k}`,
        subnet: `10.${k >> 6}.${(k & 63) << 2}.0/22`,
        maxClusters: 2,
        members: [names[2 * k]!.name, names[2 * k + 1]!.name],
        qosProfile: "bench-qos",
      },
    });
  }
  log(`${N / 2} slices over the QoS profile in ${f1((performance.now() - tSlices) / 1000)} s`);
  const { closeDb } = await import("../server/platform/db/client");

  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXTAUTH_SECRET: randomBytes(24).toString("hex"),
    AGENT_API_PORT: String(port),
    AGENT_API_HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
  };
  const cpuProfile = values.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
  api = await spawnTsx("agent API", path.join(ROOT, "server/agent-api/main.ts"), [], env, undefined, cpuProfile);
  await waitHealthy(`http://127.0.0.1:${port}/healthz`, 120_000, api);
  const base = `http://127.0.0.1:${port}/api/agent/v1`;
  // The workers, as in production: they step rollouts (rollouts.advance, rollouts.reconcile).
  const healthPort = await freePort();
  workers = await spawnTsx(
    "workers",
    path.join(ROOT, "workers/index.ts"),
    [],
    { ...env, WORKERS_HEALTH_PORT: String(healthPort), WORKERS_NICE: "0" },
    undefined,
    cpuProfile,
  );
  await waitHealthy(`http://127.0.0.1:${healthPort}/readyz`, 120_000, workers);

  // Every agent, in a process of its own (bench/rollout/agents-child.ts): heard from once,
  // then a long-poll held from its current revision; what the poll brings is acked at
  // once, and the poll is held again. Each ack recorded is reported here.
  const revisions = new Map(
    (await prisma().cluster.findMany({ where: { tenantId: tenant.id }, select: { id: true, desiredRevision: true } })).map((c) => [c.id, c.desiredRevision]),
  );
  let lastAckAt = 0;
  let acks = 0;
  let errors = 0;
  agentsChild = fork(path.join(import.meta.dirname, "rollout/agents-child.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    agentsChild!.on("message", (m: FromChild) => {
      if (m === "ready") return resolve();
      lastAckAt = performance.now();
      acks++;
      errors = m.errors;
    });
    agentsChild!.once("exit", (code) => reject(new Error(`the agents' process exited (${code})`)));
  });
  const start: ToChild = {
    start: { base, agents: enrolled.clusters.map((c) => ({ clusterId: c.clusterId, credential: c.credential, after: revisions.get(c.clusterId) ?? 0 })) },
  };
  agentsChild.send(start);
  await ready;

  for (let run = 1; run <= RUNS; run++) {
    const ackedBefore = acks;
    const t0 = performance.now();
    const res = await updateQosProfile(ctx, profile.id, { priority: 1 + (run % 7) }, undefined, ROLLOUT);
    const requestMs = performance.now() - t0;
    while (acks - ackedBefore < N && performance.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 5));
    const toLastAck = lastAckAt - t0;
    // The next run's change would queue behind this rollout until the workers close it.
    let status = "";
    while (performance.now() - t0 < 120_000) {
      status = (await prisma().rollout.findFirstOrThrow({ where: { id: res.rollout!.id }, select: { status: true } })).status;
      if (status !== "RUNNING") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const toDone = performance.now() - t0;
    const waveCount = (await prisma().rollout.findFirstOrThrow({ where: { id: res.rollout!.id }, select: { waveCount: true } })).waveCount;
    const soakMs = ROLLOUT.strategy === "WAVES" ? waveCount * SOAK * 1000 : 0;
    const targets = await prisma().rolloutTarget.findMany({
      where: { tenantId: tenant.id, rolloutId: res.rollout!.id },
      select: { publishedAt: true, ackedAt: true, state: true },
    });
    const h = new Histogram();
    for (const t of targets) if (t.publishedAt && t.ackedAt) h.record(t.ackedAt.getTime() - t.publishedAt.getTime());
    const applied = targets.filter((t) => t.state === "APPLIED").length;
    log(
      `run ${run}: ${N} clusters, ${ROLLOUT.strategy}${soakMs ? ` (${waveCount} waves, ${SOAK} s soak each: overhead over the soak ${f1(toDone - soakMs)} ms)` : ""}, request ${f1(requestMs)} ms, request → last ack ${f1(toLastAck)} ms (${acks - ackedBefore} acks, ${applied} targets APPLIED, ${errors} request errors retried so far), → rollout ${status} ${f1(toDone)} ms; ` +
        `publish → ack p50 ${f1(h.quantile(0.5))} ms, p99 ${f1(h.quantile(0.99))} ms`,
    );
  }
  agentsChild.send("stop");
  await workers.stop();
  await api.stop();
  await closeDb();
}

try {
  await main();
} finally {
  agentsChild?.kill();
  await workers?.stop().catch(() => {});
  await api?.stop().catch(() => {});
  const { closeRedis } = await import("../server/platform/redis");
  await closeRedis().catch(() => {});
  await db?.drop().catch(() => {});
  await redisDb?.release().catch(() => {});
}
process.exit(0);
