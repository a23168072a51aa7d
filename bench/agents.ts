// Benchmark: the agent API under a simulated fleet (DESIGN §6: 10,000 clusters
// connected with their config long-polls held; ≥ 5,000 heartbeats/s of 8 gateway
// samples each with p99 ≤ 50 ms and no errors; at least 15 % of what a bare node:http
// echo server does on the same machine in the same run).
//   npm run bench:agents -- [--clusters 10000] [--duration 60] [--rate lease|<n>|max[,…]]
//                           [--connections 256] [--ceiling 10] [--skip-echo] [--echo-paced] [--profile <dir>]
//                           [--api-processes 1] [--echo-processes <as the agent API>]
//                           [--probe <dir>] [--api-node-flags="<node flags>"] [--workers-node-flags="<node flags>"]
//                           [--services built|tsx]   (built: dist/*.mjs as production runs them, the default)
//                           [--skip-history-off]     (no second ceiling with GATEWAY_HISTORY=off)
//                           [--ceiling-rounds 3]     (turns of each ceiling, with and without history)
// The steps live in bench/agents/ (first heartbeats, GC trace, the servers' counts, the
// report); the generator and the set-up in bench/lib/.
// Phases: set-up (throwaway database, N clusters enrolled through registerCluster), the
// agent API as its own production process, every cluster's long-poll held, every
// cluster's first heartbeat (timed until all are AVAILABLE), heartbeats paced at the
// offered rate, then as fast as the pool allows (the ceiling); then a second agent API
// with GATEWAY_HISTORY=off (no per-minute gateway history), paced at the last rate, and
// the two take turns at their ceilings, in the same run; the flush lag of every
// minute closed by then (bench/agents/flush-lag.ts); then the same generator against a
// bare echo server.
// See bench/README.md.
import { appendFileSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { Fleet, type Pace, type PhaseResult, type SimCluster } from "./lib/fleet";
import { settleFirstHeartbeats } from "./agents/first-heartbeats";
import { f0, f1, load, log, sleep } from "./agents/format";
import { apiMajorGcs, apiPromoted, takeTraceGc } from "./agents/gc-trace";
import { FlushLagWatch, type MinuteLag } from "./agents/flush-lag";
import { CORES, printPhase, type PhaseReport } from "./agents/report";
import { heldOnServer, postgresPids, redisServerPids, serverPids, waitHeld } from "./agents/servers";
import { ProcSampler, machineBusyPct, readMachine } from "./lib/proc-stats";
import { ROOT, SERVICE_MODES, ensureServicesBuilt, freePort, spawnService, spawnTsx, waitHealthy, type Child, type ServiceMode } from "./lib/processes";
import { PgWatch } from "./lib/pg-watch";
import { claimRedisDb, createThrowawayDatabase, enrolFleet, type ClaimedRedisDb, type ThrowawayDb } from "./lib/setup";

const { values } = parseArgs({
  options: {
    clusters: { type: "string", default: "10000" },
    duration: { type: "string", default: "60" },
    rate: { type: "string", default: "lease" },
    connections: { type: "string", default: "256" },
    warmup: { type: "string", default: "5" },
    ceiling: { type: "string", default: "10" },
    "enrol-concurrency": { type: "string", default: "8" },
    "api-processes": { type: "string", default: "1" },
    "echo-processes": { type: "string" },
    "skip-echo": { type: "boolean", default: false },
    "skip-history-off": { type: "boolean", default: false },
    "ceiling-rounds": { type: "string", default: "3" },
    "echo-paced": { type: "boolean", default: false },
    profile: { type: "string" },
    probe: { type: "string" },
    "api-node-flags": { type: "string" },
    "workers-node-flags": { type: "string" },
    services: { type: "string", default: "built" },
    json: { type: "string" },
  },
});

function intArg(name: string, v: string | undefined, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max} (got ${v})`);
    process.exit(64);
  }
  return n;
}
const N = intArg("clusters", values.clusters, 1, 50_000);
const DURATION = intArg("duration", values.duration, 1, 3600);
const CONNECTIONS = intArg("connections", values.connections, 1, 10_000);
const WARMUP = intArg("warmup", values.warmup, 0, 600);
const CEILING = intArg("ceiling", values.ceiling, 0, 600);
const CEILING_ROUNDS = intArg("ceiling-rounds", values["ceiling-rounds"], 1, 10);
const ENROL_CONCURRENCY = intArg("enrol-concurrency", values["enrol-concurrency"], 1, 9);
// AGENT_API_PROCESSES of the agent API (1, the default); the echo server runs as many
// by default, so the ratio compares like with like.
const API_PROCESSES = intArg("api-processes", values["api-processes"], 1, 16);
const ECHO_PROCESSES = intArg("echo-processes", values["echo-processes"] ?? String(API_PROCESSES), 1, 16);
const procs = (n: number) => `${n} process${n === 1 ? "" : "es"}`;
// One or more steps, run one after another against the same fleet: "lease" (every
// cluster once per lease: clusters/15 per second), a fixed rate, or "max".
const RATE_ARG = values.rate ?? "lease";
const RATE_STEPS = RATE_ARG.split(",").map((x) => x.trim());
for (const r of RATE_STEPS) {
  if (r !== "lease" && r !== "max" && !(Number(r) > 0)) {
    console.error(`--rate takes "lease", "max" or heartbeats per second, comma-separated for several steps (got ${RATE_ARG})`);
    process.exit(64);
  }
}
if (RATE_STEPS.length > 10) {
  console.error("--rate: at most 10 steps");
  process.exit(64);
}
const SERVICES = values.services as ServiceMode;
if (!SERVICE_MODES.includes(SERVICES)) {
  console.error(`--services takes ${SERVICE_MODES.join(" or ")} (got ${values.services})`);
  process.exit(64);
}
const MAX_WAIT_SECONDS = 60;
const BASE = "/api/agent/v1";
const CEILING_LABEL = "Isthmus ceiling (closed loop, every pool connection busy)";
const HISTORY_OFF_LABEL = "Isthmus ceiling with GATEWAY_HISTORY=off";
const HISTORY_OFF_PACED_LABEL = "Isthmus with GATEWAY_HISTORY=off, paced";
/** A step of the second agent API (GATEWAY_HISTORY=off): compared with, never counted as, the figures with history. */
const historyOff = (label: string) => label.startsWith(HISTORY_OFF_LABEL) || label.startsWith(HISTORY_OFF_PACED_LABEL);

// ---- file descriptors: N held long-polls + the pool, in this process and in the server.
const needFds = N + CONNECTIONS + 256;
const softFds = Number(/^Max open files\s+(\d+|unlimited)/m.exec(readFileSync("/proc/self/limits", "utf8"))?.[1]?.replace("unlimited", "1e9") ?? 1024);
if (softFds < needFds) {
  console.error(
    `open-file limit ${softFds} is below the ${needFds} this run needs (${N} long-polls + ${CONNECTIONS} connections + spare).\nRaise it in the same shell first, e.g.  ulimit -n 65536 && npx tsx bench/agents.ts …`,
  );
  process.exit(64);
}

// ---- everything that must be undone, whatever happens --------------------------------
let db: ThrowawayDb | null = null;
let redisDb: ClaimedRedisDb | null = null;
let api: Child | null = null;
/** The second agent API (GATEWAY_HISTORY=off), while it runs beside the first. */
let apiOff: Child | null = null;
let workers: Child | null = null;
let echo: Child | null = null;
const fleets: Fleet[] = [];
let serverModulesLoaded = false;
let pgWatch: PgWatch | null = null;
let cleaning: Promise<void> | null = null;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const f of fleets) f.stop();
    await Promise.allSettled([api?.stop(), apiOff?.stop(), workers?.stop(), echo?.stop(), pgWatch?.close()]);
    if (serverModulesLoaded) {
      const { closeDb } = await import("../server/platform/db/client");
      const { closeRedis } = await import("../server/platform/redis");
      await Promise.allSettled([closeDb(), closeRedis()]);
    }
    await Promise.allSettled([db?.drop(), redisDb?.release()]);
  })();
  return cleaning;
}

// The run stops by itself: a watchdog bounds the whole of it.
const budgetSeconds = 900 + 2 * (180 + 60) + (RATE_STEPS.length + 1) * (WARMUP + DURATION + 10) + 2 * CEILING_ROUNDS * (CEILING + 70) + 120;
const watchdog = setTimeout(() => {
  console.error(`watchdog: the run exceeded ${budgetSeconds} s; stopping`);
  void cleanup().finally(() => process.exit(2));
}, budgetSeconds * 1000);
watchdog.unref();
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    console.error(`${sig}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}
// A throw outside the run's own try (a timer's, say EMFILE from the sampler) must not
// leave the servers running: an orphaned workers process keeps flushing the shared Redis's
// dirty set into the dropped bench database, and other runs and tests lose those writes.
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.once(event, (err) => {
    console.error(`${event}: stopping`, err);
    void cleanup().finally(() => process.exit(1));
  });
}

// --probe: the probed server processes (those that serve: not a primary), the directory
// they write to, and their steps so far.
const probed: Partial<Record<"isthmus" | "echo", { pids: number[]; dir: string; steps: number }>> = {};

async function runPhase(
  label: string,
  target: "isthmus" | "echo",
  fleet: Fleet,
  pace: Pace,
  warmupS: number,
  windowS: number,
  port: number,
  sampler: ProcSampler,
  serverGroup: string,
  pgWatch: PgWatch | null,
  /** The server's processes, when another agent API runs beside it: only their collections count. */
  serverPids?: readonly number[],
): Promise<PhaseReport> {
  log(
    `${label}: ${pace.mode === "paced" ? `${f0(pace.rate)} heartbeats/s offered` : "as fast as the pool allows"} — ${warmupS} s warm-up, ${windowS} s measured`,
  );
  const loadBefore = load();
  // Every 2 s inside the window: the server's own count of held long-polls (its
  // /healthz) and what the database connections do.
  let serverHeld: number | null = null;
  let busyProbe = false;
  const t0 = performance.now();
  pgWatch?.reset();
  const probe = setInterval(() => {
    const t = (performance.now() - t0) / 1000;
    if (busyProbe || t < warmupS || t > warmupS + windowS) return;
    busyProbe = true;
    void Promise.all([
      heldOnServer(port).then((h) => {
        if (h !== null) serverHeld = serverHeld === null ? h : Math.min(serverHeld, h);
      }),
      pgWatch?.sample().catch(() => {}),
    ]).finally(() => (busyProbe = false));
  }, 2000);
  // --probe: the agent API's own view of the measured window (bench/lib/api-probe.mjs).
  const probing = probed[target] ?? null;
  const signalProbe = () => probing?.pids.forEach((pid) => process.kill(pid, "SIGUSR2"));
  const probeStart = probing === null ? null : setTimeout(signalProbe, warmupS * 1000);
  const result = await fleet.runHeartbeats(pace, warmupS * 1000, windowS * 1000);
  clearInterval(probe);
  const gcLog = process.env.ISTHMUS_BENCH_GC_LOG;
  if (gcLog) appendFileSync(gcLog, `${result.windowStart.toFixed(0)} # ${label}: window from here to ${result.windowEnd.toFixed(0)}\n`);
  if (probing !== null) {
    clearTimeout(probeStart!);
    signalProbe();
    probing.steps++;
    await sleep(500);
    const summaries = readdirSync(probing.dir).filter((f) => new RegExp(`^step-${probing.steps}(\\.p\\d+)?\\.txt$`).test(f));
    for (const f of summaries) console.log(`${target}: ${readFileSync(path.join(probing.dir, f), "utf8").trimEnd()}`);
    if (summaries.length === 0) log("the probe wrote no summary for this step");
  }
  sampler.sample();
  const ours = (pid: number) => serverPids === undefined || serverPids.includes(pid);
  const st = sampler.stats(result.windowStart, result.windowEnd);
  const g = (k: string) => st.groups.get(k);
  return {
    label,
    target,
    result,
    serverCpuPct: g(serverGroup)?.cpuPct ?? NaN,
    serverPeakCpuPct: g(serverGroup)?.peakCpuPct ?? NaN,
    serverPeakRssKb: g(serverGroup)?.peakRssKb ?? null,
    serverMajorGcs:
      target === "isthmus"
        ? apiMajorGcs
            .filter((gc) => gc.at >= result.windowStart && gc.at < result.windowEnd && ours(gc.pid))
            .map(({ at, pid: _pid, ...gc }) => ({ atS: (at - result.windowStart) / 1000, ...gc }))
        : null,
    serverPromotedKibPerS:
      target === "isthmus"
        ? apiPromoted.filter(([at, , pid]) => at >= result.windowStart && at < result.windowEnd && ours(pid)).reduce((sum, [, bytes]) => sum + bytes, 0) /
          1024 /
          ((result.windowEnd - result.windowStart) / 1000)
        : null,
    workersCpuPct: target === "isthmus" ? (g("workers")?.cpuPct ?? null) : null,
    workersPeakRssKb: target === "isthmus" ? (g("workers")?.peakRssKb ?? null) : null,
    generatorSamplerCpuPct: g("generator")?.cpuPct ?? NaN,
    generatorPeakRssKb: g("generator")?.peakRssKb ?? null,
    generatorHeapUsedKb: Math.round(process.memoryUsage().heapUsed / 1024),
    redisCpuPct: g("redis")?.cpuPct ?? null,
    postgresCpuPct: g("postgres")?.cpuPct ?? null,
    machineBusyPct: st.machineBusyPct,
    serverHeld,
    pg: pgWatch?.result ?? null,
    loadAvg: `${loadBefore} → ${load()}`,
  };
}

const reports: PhaseReport[] = [];
let exitCode = 0;

try {
  const startedAt = new Date();
  const loadAtStart = load();
  // What the rest of the machine is doing before this run adds anything (3 s).
  const m0 = readMachine();
  await sleep(3000);
  const busyBefore = machineBusyPct(m0, readMachine());
  log(
    `agent benchmark: ${N} clusters, ${DURATION} s, rate ${RATE_ARG}, ${CONNECTIONS} heartbeat connections, agent API ${procs(API_PROCESSES)}; ${CORES} cores, busy ${f0(busyBefore)} % of ${CORES * 100} % before the run; load average ${loadAtStart}`,
  );

  // ---- set-up ----------------------------------------------------------------------
  const tSetup = performance.now();
  const pgServer = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const redisBase = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  redisDb = process.env.REDIS_URL ? null : await claimRedisDb(redisBase);
  const redisUrl = redisDb?.url ?? redisBase;
  db = await createThrowawayDatabase(pgServer);
  process.env.DATABASE_URL = db.url;
  process.env.REDIS_URL = redisUrl;
  process.env.LOG_LEVEL = "silent";
  const { migrateDeploy } = await import("../server/platform/db/migrate");
  const tMigrate = performance.now();
  await migrateDeploy(db.url);
  const migrateMs = performance.now() - tMigrate;
  serverModulesLoaded = true;
  log(`database ${db.name} migrated in ${f1(migrateMs / 1000)} s; Redis ${redisUrl}`);
  const enrolled = await enrolFleet(N, ENROL_CONCURRENCY, 900_000, (done) => log(`  enrolled ${f0(done)}/${f0(N)}`));
  const setupMs = performance.now() - tSetup;
  log(
    `enrolled ${f0(N)} clusters in ${f1(enrolled.enrolMs / 1000)} s (${f0(N / (enrolled.enrolMs / 1000))}/s through registerCluster, ${enrolled.tokens} workers); set-up ${f1(setupMs / 1000)} s in all`,
  );
  const lease = enrolled.leaseSeconds;
  const paces: Pace[] = RATE_STEPS.map((r) => (r === "max" ? { mode: "max" } : { mode: "paced", rate: r === "lease" ? N / lease : Number(r) }));

  // Where Postgres and Redis run, to watch their CPU too.
  const prisma = (await import("../server/platform/db/client")).db();
  let postmaster: number | null = null;
  try {
    const [row] = await prisma.$queryRaw<Array<{ d: string }>>`SELECT current_setting('data_directory') AS d`;
    postmaster = Number(readFileSync(path.join(row!.d, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    postmaster = null; // not readable: PostgreSQL CPU is not reported
  }
  // The set-up's own pool is not needed while the server runs (reopened afterwards).
  const { closeDb } = await import("../server/platform/db/client");
  await closeDb();
  pgWatch = new PgWatch(pgServer, db.name);
  const redisPort = new URL(redisUrl).port || "6379";
  const sampler = new ProcSampler([
    { name: "generator", pids: () => [process.pid], rss: true },
    { name: "redis", pids: () => redisServerPids(redisPort) },
    { name: "postgres", pids: postgresPids(postmaster) },
  ]);
  sampler.start();

  // ---- the agent API as its own production process -----------------------------------
  const port = await freePort();
  const apiEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXTAUTH_SECRET: randomBytes(24).toString("hex"),
    AGENT_API_PORT: String(port),
    AGENT_API_HOST: "127.0.0.1",
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    LOG_LEVEL: "warn",
    AGENT_API_PROCESSES: String(API_PROCESSES),
    ISTHMUS_BENCH_PROCESSES: String(API_PROCESSES),
  };
  if (SERVICES === "built") log(`agent API and workers: ${await ensureServicesBuilt()}`);
  const tApi = performance.now();
  const profFlags = values.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
  if (values.probe) {
    profFlags.push("--import", path.join(ROOT, "bench/lib/api-probe.mjs"));
    apiEnv.ISTHMUS_BENCH_PROBE_DIR = path.resolve(values.probe);
  }
  profFlags.push(...(values["api-node-flags"]?.split(/\s+/).filter(Boolean) ?? []));
  const { AGENT_API_NODE_FLAGS } = await import("../server/agent-api/node-flags");
  api = await spawnService("agent API", "agent-api", SERVICES, apiEnv, takeTraceGc, [...AGENT_API_NODE_FLAGS, "--trace-gc-nvp", ...profFlags]);
  await waitHealthy(`http://127.0.0.1:${port}/healthz`, 120_000, api);
  const apiPid = api.pid;
  const { serving: apiServing, all: apiPids } = await serverPids(apiPid, API_PROCESSES);
  log(
    `agent API up (${SERVICES === "built" ? "built JS" : "tsx"}, ${procs(API_PROCESSES)}: pid ${apiPids.join(", ")}; port ${port}) in ${f1((performance.now() - tApi) / 1000)} s`,
  );
  if (values.probe) probed.isthmus = { pids: apiServing, dir: path.resolve(values.probe), steps: 0 };
  sampler.addGroup({ name: "agent-api", pids: () => apiPids, rss: true });
  // The workers process, as in production: it writes the heartbeats' hot state to
  // Postgres every 250 ms (and evaluates leases), on the same machine.
  let workersUp = false;
  const workersFlags = values["workers-node-flags"]?.split(/\s+/).filter(Boolean) ?? [];
  workers = await spawnService(
    "workers",
    "workers",
    SERVICES,
    { ...apiEnv, ISTHMUS_SERVICE: "worker", LOG_LEVEL: "info" },
    (line) => {
      if (line.includes('"workers started"')) workersUp = true;
    },
    workersFlags,
  );
  for (let i = 0; i < 600 && !workersUp && workers.exitCode === undefined; i++) await sleep(100);
  if (!workersUp) throw new Error(`the workers process did not start:\n${workers.output.slice(-20).join("\n")}`);
  const workersPid = workers.pid;
  sampler.addGroup({ name: "workers", pids: () => [workersPid], rss: true });
  log(`workers up (pid ${workersPid})`);
  const { redis: benchRedis } = await import("../server/platform/redis");
  const { MINUTES_KEY } = await import("../server/gateways/keys");
  const lagWatch = new FlushLagWatch(benchRedis(), MINUTES_KEY);
  lagWatch.start();

  const clusters: SimCluster[] = enrolled.clusters;
  const fleet = new Fleet({ host: "127.0.0.1", port, basePath: BASE }, clusters, { maxWaitSeconds: MAX_WAIT_SECONDS, connections: CONNECTIONS });
  fleets.push(fleet);
  const ramp = await fleet.startLongPolls(200, 180_000);
  const heldAtStart = await waitHeld(port, N, 60_000);
  log(
    `long-polls: ${f0(ramp.ready)}/${f0(N)} clusters fetched revision 1 and hold a poll (${f1(ramp.ms / 1000)} s); the server holds ${f0(heldAtStart ?? NaN)}`,
  );

  // Every cluster's first heartbeat (it carries the inventory) makes it AVAILABLE: a
  // burst of events, audit rows and inventory writes for the workers and PostgreSQL.
  // It is timed here, on its own, so the steps below measure the fleet in its steady
  // state rather than its arrival.
  const firstBeat = await settleFirstHeartbeats(fleet, N);
  log(
    `first heartbeats: every one of ${f0(N)} clusters sent one in ${f1(firstBeat.sentMs / 1000)} s; ${f0(firstBeat.available)} AVAILABLE in PostgreSQL ${f1(firstBeat.ms / 1000)} s after the first was sent${firstBeat.available < N ? " (deadline reached)" : ""}`,
  );

  for (const pace of paces) {
    reports.push(
      await runPhase(
        pace.mode === "paced" ? `Isthmus, paced at ${f0(pace.rate)}/s` : "Isthmus, as fast as possible",
        "isthmus",
        fleet,
        pace,
        WARMUP,
        DURATION,
        port,
        sampler,
        "agent-api",
        pgWatch,
      ),
    );
  }
  if (CEILING > 0 && paces.every((p) => p.mode === "paced")) {
    reports.push(await runPhase(CEILING_LABEL, "isthmus", fleet, { mode: "max" }, 2, CEILING, port, sampler, "agent-api", pgWatch));
  }
  const pollCounts = { ...fleet.pollCounts, errors: { ...fleet.pollErrors } };
  const stopApi = async (child: Child, name: string) => {
    const exit = await child.stop();
    log(`${name} stopped (exit ${exit}); it wrote ${child.lines} log lines at LOG_LEVEL=warn`);
    if (child.lines)
      console.log(
        child.output
          .slice(-15)
          .map((l) => `  [${name}] ${l.slice(0, 400)}`)
          .join("\n"),
      );
    return exit;
  };
  let apiExit: number | null = 0;

  // ---- the ceiling without gateway history (GATEWAY_HISTORY=off), in turns ---------------
  // A second agent API process with GATEWAY_HISTORY=off on the same database, Redis and
  // workers; it carries the same paced load first, then the two take turns at their
  // ceilings (off, on, off, … --ceiling-rounds of each, the first "on" being the one
  // above). One window of each, measured one after the other, moved by ±10 % from run to
  // run with nothing changed (the workers' minute flush, Redis's memory, the fresh
  // process's heap settling): taking turns puts those on both sides. At each turn a new
  // fleet of the same clusters carries on the last one's sequences and holds its long-polls
  // on the server taking its turn (two fleets' 2 × N held polls would not fit this
  // process's open-file limit); the other server sits idle meanwhile.
  if (CEILING > 0 && !values["skip-history-off"]) {
    const onApi = api!;
    const offPort = await freePort();
    const offEnv = { ...apiEnv, AGENT_API_PORT: String(offPort), GATEWAY_HISTORY: "off" };
    const tOff = performance.now();
    const offApi = await spawnService("agent API (history off)", "agent-api", SERVICES, offEnv, takeTraceGc, [
      ...AGENT_API_NODE_FLAGS,
      "--trace-gc-nvp",
      ...(values["api-node-flags"]?.split(/\s+/).filter(Boolean) ?? []),
    ]);
    apiOff = offApi;
    await waitHealthy(`http://127.0.0.1:${offPort}/healthz`, 120_000, offApi);
    const { all: offPids } = await serverPids(offApi.pid, API_PROCESSES);
    sampler.addGroup({ name: "agent-api-off", pids: () => offPids, rss: true });
    let last = fleet;
    let turnSeed = 0x0ff;
    /** A new fleet of the same clusters on `onPort`, carrying on the last one's sequences, every long-poll held. */
    const nextFleet = async (onPort: number, name: string) => {
      last.stop();
      const t0 = performance.now();
      const f = new Fleet({ host: "127.0.0.1", port: onPort, basePath: BASE }, clusters, {
        maxWaitSeconds: MAX_WAIT_SECONDS,
        connections: CONNECTIONS,
        seed: turnSeed++,
      });
      f.continueFrom(last);
      fleets.push(f);
      const r = await f.startLongPolls(200, 180_000);
      const held = await waitHeld(onPort, N, 60_000);
      log(`${name}: ${f0(r.ready)} long-polls started, it holds ${f0(held ?? NaN)} (${f1((performance.now() - t0) / 1000)} s)`);
      last = f;
      return f;
    };
    const offFleet = await nextFleet(offPort, `agent API with GATEWAY_HISTORY=off up in ${f1((performance.now() - tOff) / 1000)} s`);
    // The same load as the first agent API carried before its ceiling (its last paced
    // step): a fresh process measured at once ran a major GC every ~3 s (its heap and
    // pretenuring still settling) where the warmed one ran none.
    const lastPaced = paces.filter((p): p is Extract<Pace, { mode: "paced" }> => p.mode === "paced").at(-1);
    if (lastPaced)
      reports.push(
        await runPhase(
          `${HISTORY_OFF_PACED_LABEL} at ${f0(lastPaced.rate)}/s`,
          "isthmus",
          offFleet,
          lastPaced,
          WARMUP,
          DURATION,
          offPort,
          sampler,
          "agent-api-off",
          pgWatch,
          offPids,
        ),
      );
    for (let round = 1; round <= CEILING_ROUNDS; round++) {
      const off = round === 1 ? offFleet : await nextFleet(offPort, "history off, its turn");
      reports.push(
        await runPhase(
          `${HISTORY_OFF_LABEL} (closed loop, every pool connection busy), turn ${round}`,
          "isthmus",
          off,
          { mode: "max" },
          2,
          CEILING,
          offPort,
          sampler,
          "agent-api-off",
          pgWatch,
          offPids,
        ),
      );
      if (round === CEILING_ROUNDS) break;
      const on = await nextFleet(port, "history on, its turn");
      reports.push(
        await runPhase(`${CEILING_LABEL}, turn ${round + 1}`, "isthmus", on, { mode: "max" }, 2, CEILING, port, sampler, "agent-api", pgWatch, apiPids),
      );
    }
    last.stop();
    await stopApi(offApi, "agent API (history off)");
    apiExit = await stopApi(onApi, "agent API");
  } else {
    fleet.stop();
    apiExit = await stopApi(api!, "agent API");
  }

  // Did the heartbeats reach Postgres (the workers' batched flush, once a second)?
  await sleep(2500);
  // And the gateway samples of every minute closed by now, the 1-minute table?
  const lagsClosedBy = Date.now();
  if (lagWatch.lags(lagsClosedBy).some((l) => l.lagS === null))
    log("waiting for the workers to write the closed minutes' gateway samples (at most 70 s after each minute's close)");
  await lagWatch.settle(lagsClosedBy);
  lagWatch.stop();
  const flushLags: MinuteLag[] = lagWatch.lags(lagsClosedBy);
  const workersExit = await workers.stop();
  // Warnings too: a scheduled job that failed (and is retried) logs one.
  const workerErrors = workers.output.filter((l) => /"level":(40|50|60)/.test(l));
  log(`workers stopped (exit ${workersExit}); ${workerErrors.length} warning or error lines`);
  if (workerErrors.length)
    console.log(
      workerErrors
        .slice(-10)
        .map((l) => `  [workers] ${l.slice(0, 400)}`)
        .join("\n"),
    );
  const written = await (await import("../server/platform/db/client")).db().cluster.count({ where: { lastHeartbeatSeq: { gt: 0 } } });
  const { redis } = await import("../server/platform/redis");
  const { DIRTY_CLUSTERS_KEY } = await import("../server/clusters/keys");
  const stillDirty = await redis().scard(DIRTY_CLUSTERS_KEY);

  // ---- the same generator against a bare node:http echo server ------------------------
  if (!values["skip-echo"]) {
    let echoPort = 0;
    // Probed like the agent API, so the two servers' GC and heap can be compared.
    const echoProbe = values.probe
      ? { flags: ["--import", path.join(ROOT, "bench/lib/api-probe.mjs")], env: { ISTHMUS_BENCH_PROBE_DIR: path.join(path.resolve(values.probe), "echo") } }
      : { flags: [], env: {} };
    echo = await spawnTsx(
      "echo server",
      path.join(ROOT, "bench/lib/echo-server.ts"),
      ["0", "127.0.0.1", String(ECHO_PROCESSES)],
      { ...process.env, NODE_ENV: "production", ISTHMUS_BENCH_PROCESSES: String(ECHO_PROCESSES), ...echoProbe.env },
      (line) => {
        const m = /^\{"port":(\d+)\}$/.exec(line.trim());
        if (m) echoPort = Number(m[1]);
      },
      echoProbe.flags,
    );
    for (let i = 0; i < 300 && !echoPort; i++) await sleep(100);
    if (!echoPort) throw new Error(`the echo server did not start:\n${echo.output.join("\n")}`);
    const echoPid = echo.pid;
    const { serving: echoServing, all: echoPids } = await serverPids(echoPid, ECHO_PROCESSES);
    if (values.probe) probed.echo = { pids: echoServing, dir: path.join(path.resolve(values.probe), "echo"), steps: 0 };
    sampler.addGroup({ name: "echo", pids: () => echoPids, rss: true });
    // Fresh simulated clusters with the same credentials: same request shapes and sizes.
    const echoFleet = new Fleet({ host: "127.0.0.1", port: echoPort, basePath: BASE }, clusters, {
      maxWaitSeconds: MAX_WAIT_SECONDS,
      connections: CONNECTIONS,
      seed: 0x5eed,
    });
    fleets.push(echoFleet);
    const r2 = await echoFleet.startLongPolls(200, 180_000);
    const held2 = await waitHeld(echoPort, N, 60_000);
    log(`echo server up (${procs(ECHO_PROCESSES)}: pid ${echoPids.join(", ")}); ${f0(r2.ready)} long-polls started, it holds ${f0(held2 ?? NaN)}`);
    reports.push(
      await runPhase(
        "echo server, as fast as possible (same generator, pool and held long-polls)",
        "echo",
        echoFleet,
        { mode: "max" },
        2,
        CEILING || 10,
        echoPort,
        sampler,
        "echo",
        null,
      ),
    );
    // The floor this machine and generator set for latency: the paced steps again, answered
    // by a server that does nothing.
    if (values["echo-paced"]) {
      for (const pace of paces.filter((p) => p.mode === "paced")) {
        reports.push(
          await runPhase(
            `echo server, paced at ${f0(pace.rate)}/s (the latency floor of this machine and generator)`,
            "echo",
            echoFleet,
            pace,
            WARMUP,
            DURATION,
            echoPort,
            sampler,
            "echo",
            null,
          ),
        );
      }
    }
    echoFleet.stop();
    await echo.stop();
    // Anything it said besides its port (its primary reports a process it had to replace).
    const echoSaid = echo.output.filter((l) => !/^\{"port":\d+\}$/.test(l.trim()));
    if (echoSaid.length)
      console.log(
        echoSaid
          .slice(-15)
          .map((l) => `  [echo] ${l.slice(0, 400)}`)
          .join("\n"),
      );
  }
  sampler.stop();

  // ---- summary -------------------------------------------------------------------------
  const pacedReports = reports.filter((r) => r.target === "isthmus" && r.result.mode === "paced" && !historyOff(r.label));
  const offPaced = reports.find((r) => r.label.startsWith(HISTORY_OFF_PACED_LABEL));
  const echoR = reports.find((r) => r.target === "echo" && r.result.mode !== "paced");
  const echoPaced = reports.filter((r) => r.target === "echo" && r.result.mode === "paced");
  const target = { rate: 5000, p99: 50, ratio: 15 };
  const faults = (r: PhaseResult) => Object.values(r.errors).reduce((a, b) => a + b, 0) + r.notSent + r.unfinished;
  /** Sustained: answered ≥ 99 % of the offered rate with p99 ≤ 50 ms and nothing failed or left unsent. */
  const sustained = (r: PhaseResult) =>
    r.offeredRate !== null && r.achievedRate >= 0.99 * r.offeredRate && r.latency.quantile(0.99) <= target.p99 && faults(r) === 0;
  console.log("");
  console.log(`== Isthmus agent API benchmark — ${startedAt.toISOString()} ==`);
  console.log(
    `  machine           ${CORES} cores; busy ${f0(busyBefore)} % of ${CORES * 100} % with other work before the run; load average at start ${loadAtStart}, at end ${load()}`,
  );
  console.log(
    `  set-up            ${f1(setupMs / 1000)} s: migrate ${f1(migrateMs / 1000)} s, tenant + ${enrolled.tokens} tokens ${f1(enrolled.userMs / 1000)} s, ${f0(N)} clusters enrolled in ${f1(enrolled.enrolMs / 1000)} s (${f0(N / (enrolled.enrolMs / 1000))}/s)`,
  );
  console.log(
    `  servers           agent API: ${procs(API_PROCESSES)} on one port (AGENT_API_PROCESSES)${values["skip-echo"] ? "" : `; echo server: ${procs(ECHO_PROCESSES)}`}`,
  );
  console.log(
    `  clusters          ${f0(N)} connected; long-polls held: ${f0(heldAtStart ?? NaN)} at start (server's count), each re-issued on return (200s ${f0(pollCounts.ok200)}, 204s ${f0(pollCounts.ok204)}${Object.keys(pollCounts.errors).length ? `, errors ${JSON.stringify(pollCounts.errors)}` : ", no errors"})`,
  );
  console.log(
    `  heartbeat         8 gateway samples + 3 components, monotonic seq per cluster; lease ${lease} s (${f0(N / lease)}/s when every cluster heartbeats once a lease)`,
  );
  console.log(
    `  first heartbeats  every cluster's first (with inventory) sent in ${f1(firstBeat.sentMs / 1000)} s at 2,000/s (and more while waiting); ${f0(firstBeat.available)}/${f0(N)} AVAILABLE in PostgreSQL after ${f1(firstBeat.ms / 1000)} s (before the steps)`,
  );
  console.log(`  into Postgres     ${f0(written)}/${f0(N)} clusters have a heartbeat written by the workers' flush; ${f0(stillDirty)} left dirty at shutdown`);
  for (const r of reports) printPhase(r, r.target === "echo" ? "echo server" : "agent API");
  console.log("");
  const isthmusBest = Math.max(0, ...reports.filter((r) => r.target === "isthmus" && !historyOff(r.label)).map((r) => r.result.achievedRate));
  for (const p of pacedReports) {
    const r = p.result;
    console.log(
      `  paced ${f0(r.offeredRate!).padStart(6)}/s      ${sustained(r) ? "sustained" : "NOT sustained"}: ${f0(r.achievedRate)}/s answered, p99 ${f1(r.latency.quantile(0.99))} ms, ${f0(faults(r))} failed or never sent`,
    );
  }
  if (offPaced) {
    const r = offPaced.result;
    console.log(
      `  paced, history off ${f0(r.offeredRate!)}/s: ${f0(r.achievedRate)}/s answered, p99 ${f1(r.latency.quantile(0.99))} ms (the second agent API's load before its ceiling)`,
    );
  }
  for (const p of echoPaced) {
    const r = p.result;
    console.log(
      `  echo at ${f0(r.offeredRate!).padStart(5)}/s   ${f0(r.achievedRate)}/s answered, p99 ${f1(r.latency.quantile(0.99))} ms: the floor under the same load from this generator`,
    );
  }
  if (echoR) {
    const e = echoR.result.achievedRate;
    console.log(
      `  ratio to echo     Isthmus's best ${f0(isthmusBest)}/s ÷ echo ${f0(e)}/s = ${f1((isthmusBest / e) * 100)} % (agent API ${procs(API_PROCESSES)}, echo ${procs(ECHO_PROCESSES)})`,
    );
    console.log(
      `  generator check   against the echo server the same generator reached ${f0(e)}/s at ${f1(echoR.result.generatorCpuPct)} % CPU — ${f1(e / Math.max(1, isthmusBest))}× the most Isthmus answered`,
    );
  }
  const metRate = pacedReports.some((p) => p.result.offeredRate! >= target.rate && sustained(p.result));
  console.log(
    `  DESIGN §6         10,000 connected with held long-polls: ${N >= 10_000 && (heldAtStart ?? 0) >= 10_000 ? "yes" : `not shown (this run: ${f0(N)} clusters, ${f0(heldAtStart ?? NaN)} held)`}`,
  );
  console.log(
    `                    ≥ ${f0(target.rate)} heartbeats/s sustained with p99 ≤ ${target.p99} ms and no errors: ${metRate ? "MET" : pacedReports.some((p) => p.result.offeredRate! >= target.rate) ? "NOT MET" : `not tested (no step offered ${f0(target.rate)}/s; add --rate ${target.rate})`}`,
  );
  // The ceiling with and without gateway history: every turn of each, and their means.
  const ons = reports.filter((r) => r.label.startsWith(CEILING_LABEL)).map((r) => r.result.achievedRate);
  const offs = reports.filter((r) => r.label.startsWith(HISTORY_OFF_LABEL)).map((r) => r.result.achievedRate);
  if (ons.length > 0 && offs.length > 0) {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ratio = mean(ons) / mean(offs);
    console.log(
      `  gateway history   ceiling with the per-minute aggregation ${ons.map(f0).join(", ")}/s (mean ${f0(mean(ons))}) ÷ without it (GATEWAY_HISTORY=off) ${offs.map(f0).join(", ")}/s (mean ${f0(mean(offs))}) = ${f1(ratio * 100)} % (target ≥ 90 %: ${ratio >= 0.9 ? "MET" : "NOT MET"})`,
    );
  }
  if (flushLags.length) {
    const hhmm = (m: number) => new Date(m * 60_000).toISOString().slice(11, 16);
    const worst = Math.max(...flushLags.map((l) => l.lagS ?? Infinity));
    console.log(
      `  flush lag         minute close → its last gateway samples in the 1-minute table: ${flushLags.map((l) => `${hhmm(l.minute)} ${l.lagS === null ? "not written" : `${f1(l.lagS)} s`}`).join(", ")} (target ≤ 70 s: ${worst <= 70 ? "MET" : "NOT MET"})`,
    );
  }
  if (echoR)
    console.log(
      `                    ≥ ${target.ratio} % of echo: ${(isthmusBest / echoR.result.achievedRate) * 100 >= target.ratio ? "MET" : "NOT MET"} (${f1((isthmusBest / echoR.result.achievedRate) * 100)} %)`,
    );

  const busiest = Math.max(
    busyBefore,
    ...reports.map((r) => r.machineBusyPct - r.serverCpuPct - r.result.generatorCpuPct - (r.redisCpuPct ?? 0) - (r.postgresCpuPct ?? 0)),
  );
  if (busiest > 50) {
    console.log(
      `  CAUTION           other work used up to ${f0(busiest)} % of ${CORES * 100} % CPU during this run: every figure (the echo rate and so the ratio too) is distorted; rerun on a quiet machine`,
    );
  }

  if (values.json) {
    const { writeFileSync } = await import("node:fs");
    const out = {
      startedAt,
      args: {
        clusters: N,
        duration: DURATION,
        rate: RATE_ARG,
        connections: CONNECTIONS,
        warmup: WARMUP,
        ceiling: CEILING,
        apiProcesses: API_PROCESSES,
        echoProcesses: ECHO_PROCESSES,
      },
      loadAtStart,
      loadAtEnd: load(),
      machineBusyBeforePct: busyBefore,
      setup: { ms: setupMs, migrateMs, enrolMs: enrolled.enrolMs },
      heldAtStart,
      firstHeartbeats: firstBeat,
      longPolls: pollCounts,
      flushed: written,
      gatewayFlushLags: flushLags,
      phases: reports.map((p) => ({
        label: p.label,
        target: p.target,
        offered: p.result.offeredRate,
        sustained: p.result.mode === "paced" ? sustained(p.result) : null,
        achieved: p.result.achievedRate,
        p50: p.result.latency.quantile(0.5),
        p99: p.result.latency.quantile(0.99),
        max: p.result.latency.max,
        errors: p.result.errors,
        notSent: p.result.notSent,
        unfinished: p.result.unfinished,
        // Wall-clock start of the measured window (ms since the epoch): perSecond[i] is the second after it.
        windowStartedAt: Math.round(performance.timeOrigin + p.result.windowStart),
        perSecond: p.result.perSecond,
        serverCpuPct: p.serverCpuPct,
        serverPeakRssKb: p.serverPeakRssKb,
        serverMajorGcs: p.serverMajorGcs,
        serverPromotedKibPerS: p.serverPromotedKibPerS,
        generatorCpuPct: p.result.generatorCpuPct,
        redisCpuPct: p.redisCpuPct,
        postgresCpuPct: p.postgresCpuPct,
        machineBusyPct: p.machineBusyPct,
        serverHeldMin: p.serverHeld,
        pg: p.pg,
        loadAvg: p.loadAvg,
      })),
    };
    writeFileSync(values.json, JSON.stringify(out, null, 2));
  }
  if (apiExit !== 0) exitCode = 1;
} catch (err) {
  console.error(err);
  if (api?.output.length)
    console.error(
      api.output
        .slice(-20)
        .map((l) => `  [agent-api] ${l}`)
        .join("\n"),
    );
  exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
process.exit(exitCode);
