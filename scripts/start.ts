// `npm start`: everything a fresh machine needs, in one command.
//   1. PostgreSQL: DATABASE_URL, or an embedded server with data in .data/postgres
//   2. Redis: REDIS_URL, or redis-server from PATH with data in .data/redis
//   3. migrations, then the demo tenant and its owner account (idempotent)
//   4. `next build`, and the agent API's and workers' bundles (scripts/build-services.ts),
//      each when missing or older than its sources
//   5. web (next start), workers and agent API (node dist/*.mjs), demo agents, as child processes
// A child that crashes is restarted (0.5 s growing to 30 s, see scripts/supervise.ts).
// Ctrl-C or SIGTERM stops them in order (agents, web, workers, agent API), then the
// Redis and PostgreSQL it started. `--dev` runs `next dev` instead of build + start, and
// the agent API and workers from their TypeScript through tsx.
// `--services-only` stops after step 3 and keeps PostgreSQL and Redis up (for the CLI,
// tests, or a web app run by hand). Either way the database and Redis URLs are written
// to .data/env (mode 0600), where the CLI finds them when DATABASE_URL is unset.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { localDataDir, writeLocalEnv } from "../cli/local-env";
import { AGENT_API_NODE_FLAGS } from "../server/agent-api/node-flags";
import { migrateDeploy } from "../server/platform/db/migrate";
import { buildIsStale, contentStamp, recordBuildStamp } from "./build-staleness";
import { BUILT_SERVICE_NODE_FLAGS, buildServices, SERVICE_ENTRIES, serviceBundle, servicesBuildIsStale, type ServiceName } from "./build-services";
import { waitForHealth } from "./wait-for-health";
import { ensureDatabase, portFree, preferredPort, ServiceError, startLocalPostgres, startLocalRedis, type LocalService } from "./local-services";
import { stopOnSignals, Supervisor, type Supervised } from "./supervise";

const ROOT = path.resolve(import.meta.dirname, "..");
const DATA = localDataDir();
const dev = process.argv.includes("--dev");
const servicesOnly = process.argv.includes("--services-only");
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const say = (msg: string) => console.log(`${paint(1, "isthmus")}  ${msg}`);

// ---------------------------------------------------------------- child processes

// Each part runs as a supervised child (scripts/supervise.ts): one that crashes is
// started again with a growing delay; only Ctrl-C or SIGTERM stops the control plane.
const supervisor = new Supervisor({ log: (m) => say(paint(33, m)) });
const services: LocalService[] = [];
let stopping = false;

function run(name: string, args: string[], env: NodeJS.ProcessEnv, opts: { restart?: boolean; drop?: RegExp } = {}): Supervised {
  return supervisor.start({ name, args, env, cwd: ROOT, restart: opts.restart, drop: opts.drop });
}

const TSX = ["--import", "tsx"];
/** How a service runs: its bundle in production, its TypeScript through tsx with --dev. */
const serviceArgs = (name: ServiceName, nodeFlags: string[] = []) =>
  dev ? [...nodeFlags, ...TSX, path.join(ROOT, SERVICE_ENTRIES[name])] : [...nodeFlags, ...BUILT_SERVICE_NODE_FLAGS, serviceBundle(name, ROOT)];
const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");

const STOP_ORDER = [
  (n: string) => n.startsWith("agent-") && n !== "agent-api",
  (n: string) => n === "web",
  (n: string) => n === "workers",
  (n: string) => n === "agent-api",
];

async function shutdown(code: number, reason?: string) {
  if (stopping) return;
  stopping = true;
  say(reason ? `stopping (${reason})…` : "stopping…");
  await supervisor.stop(STOP_ORDER);
  // This process used Redis and Postgres too (demo token and slice): let go of them
  // before they stop, or ioredis reports the refused reconnects.
  await Promise.all([
    import("../server/platform/redis").then((r) => r.closeRedis()),
    import("../server/platform/queues").then((q) => q.closeProducer()),
    import("../server/platform/db/client").then((d) => d.closeDb()),
  ]).catch(() => {});
  for (const s of [...services].reverse()) await s.stop().catch(() => {});
  say("stopped");
  process.exit(code);
}

// A second Ctrl-C does not wait: children are killed, databases still stop cleanly.
// `npm start` runs this script with exec (package.json), so npm's SIGTERM reaches it;
// if npm dies some other way, the orphaned supervisor stops everything too.
stopOnSignals(
  (reason) => void shutdown(0, reason),
  () => {
    say("killing the remaining processes");
    supervisor.killAll();
  },
);
// If this script dies some other way, take the processes it started with it.
process.on("exit", () => {
  supervisor.killAll();
  for (const s of services) s.kill();
});

// ---------------------------------------------------------------- set-up steps

async function databaseUrl(): Promise<{ url: string; embedded: boolean }> {
  if (process.env.DATABASE_URL)
    return { url: await ensureDatabase(process.env.DATABASE_URL, new URL(process.env.DATABASE_URL).pathname.slice(1) || "postgres"), embedded: false };
  const pg = await startLocalPostgres(path.join(DATA, "postgres"), await preferredPort(54329), { logDir: path.join(DATA, "logs") });
  services.push(pg);
  return { url: await ensureDatabase(pg.url, "isthmus"), embedded: true };
}

async function redisUrl(): Promise<{ url: string; embedded: boolean }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, embedded: false };
  const r = await startLocalRedis(path.join(DATA, "redis"), await preferredPort(63799), { logDir: path.join(DATA, "logs") });
  services.push(r);
  return { url: r.url, embedded: true };
}

/** NEXTAUTH_SECRET from the environment, else generated once and kept in .data/secret (0600). */
function sessionSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(DATA, "secret");
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    return readFileSync(file, "utf8").trim();
  }
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  return secret;
}

async function runToEnd(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return (await run(name, args, env, { restart: false }).done) ?? 1;
}

/** Waits for the web's /api/health to answer 200 (scripts/wait-for-health.ts); the web is restarted if it crashes meanwhile. */
function waitForWeb(host: string, port: number) {
  const reach = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return waitForHealth(`http://${reach}:${port}/api/health`, {
    timeoutMs: 180_000,
    stopped: () => stopping,
    onSlow: (status) => say(`waiting for /api/health to answer 200${status === null ? "" : ` (it says ${status})`}…`),
  });
}

// ---------------------------------------------------------------- demo agents

/**
 * Demo agents: simulated clusters so a fresh console has something to show, enrolled
 * with the demo registration token, reused across starts (scripts/demo-fleet.ts). Agents keep their
 * credentials in .data/agents/<profile>, so later starts re-use the same clusters
 * (registration is idempotent by cluster uid). Skipped when the agent or the
 * registration tokens are absent from the tree.
 */
async function startDemoAgents(env: NodeJS.ProcessEnv, serverUrl: string) {
  if (!existsSync(path.join(ROOT, "agent/main.ts")) || !existsSync(path.join(ROOT, "server/registration-tokens"))) return;
  const { demoRegistrationToken, ensureDemoSlice } = await import("./demo-fleet");
  const token = await demoRegistrationToken(DATA);
  if (!token) return;
  const plan = [
    { profile: "edge", clusters: 3 },
    { profile: "cloud", clusters: 2 },
    { profile: "onprem", clusters: 2 },
  ];
  for (const [i, { profile, clusters }] of plan.entries()) {
    const stateDir = path.join(DATA, "agents", profile);
    mkdirSync(stateDir, { recursive: true });
    // The token goes through the environment, not argv, so `ps` does not show it.
    const args = [
      ...TSX,
      "agent/main.ts",
      "--target",
      "simulated",
      "--profile",
      profile,
      "--clusters",
      String(clusters),
      "--seed",
      String(i + 1),
      "--server",
      serverUrl,
      "--state-dir",
      stateDir,
    ];
    run(`agent-${profile}`, args, { ...env, ISTHMUS_SERVICE: "agent", ISTHMUS_TOKEN: token });
  }
  const total = plan.reduce((n, p) => n + p.clusters, 0);
  ensureDemoSlice(total)
    .then((name) => name && say(`created the demo slice "${name}" across the simulated clusters`))
    .catch((err: Error) => say(`could not create the demo slice: ${err.message}`));
}

// ---------------------------------------------------------------- main

async function main() {
  mkdirSync(DATA, { recursive: true });
  const webPort = Number(process.env.PORT ?? 3000);
  // Listen on loopback unless told otherwise: a developer machine does not publish the
  // console (or /api/metrics) to its network by accident. HOST=0.0.0.0 to share it.
  const webHost = process.env.HOST?.trim() || "127.0.0.1";
  const agentApiHost = process.env.AGENT_API_HOST?.trim() || "127.0.0.1";
  const agentApiPort = Number(process.env.AGENT_API_PORT ?? 3100);
  const agentApiMain = path.join(ROOT, "server/agent-api/main.ts");
  const withAgentApi = existsSync(agentApiMain);
  if (!servicesOnly && !(await portFree(webPort, "0.0.0.0")))
    throw new ServiceError(`Port ${webPort} is in use (another npm start?): stop that process or choose another port with PORT=…`);
  if (!servicesOnly && withAgentApi && !(await portFree(agentApiPort, "0.0.0.0")))
    throw new ServiceError(`Port ${agentApiPort} for the agent API is in use: stop that process or set AGENT_API_PORT=…`);

  const db = await databaseUrl();
  say(`PostgreSQL ${db.embedded ? "(embedded, data in .data/postgres)" : "from DATABASE_URL"}: ${db.url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")}`);
  const redis = await redisUrl();
  say(`Redis ${redis.embedded ? "(redis-server, data in .data/redis)" : "from REDIS_URL"}: ${redis.url.replace(/\/\/([^@/]*)@/, "//***@")}`);

  writeLocalEnv({ DATABASE_URL: db.url, REDIS_URL: redis.url }, DATA);
  const applied = await migrateDeploy(db.url, (m) => say(m));
  say(applied.length ? `${applied.length} migration(s) applied` : "database schema is up to date");

  // The services read the environment once, on first use: set it before loading them.
  process.env.DATABASE_URL = db.url;
  process.env.REDIS_URL = redis.url;
  const { seedDemo } = await import("../prisma/seed");
  const { closeDb } = await import("../server/platform/db/client");
  const seed = await seedDemo();
  pendingPassword = seed.password;
  await closeDb();
  if (servicesOnly) {
    if (seed.password) say(`sign-in account ${seed.email}, password ${seed.password} (shown only now)`);
    pendingPassword = undefined;
    // Stay up until Ctrl-C or SIGTERM (stopOnSignals), which stops what was started.
    setInterval(() => {}, 1 << 30);
    say(
      `services ready; the CLI finds them through ${path.relative(ROOT, path.join(DATA, "env")) || path.join(DATA, "env")} (npm run cli -- --help). Ctrl-C stops them.`,
    );
    return;
  }

  const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${webPort}`;
  const agentApiUrl = process.env.AGENT_API_URL ?? `http://127.0.0.1:${agentApiPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: dev ? "development" : "production",
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    NEXTAUTH_SECRET: sessionSecret(),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? publicUrl,
    PUBLIC_URL: publicUrl,
    PORT: String(webPort),
    AGENT_API_PORT: String(agentApiPort),
    AGENT_API_URL: agentApiUrl,
  };

  // next build and next dev rewrite tsconfig.json (formatting, an extra include);
  // put the committed file back so a start leaves the work tree as it found it.
  const tsconfigPath = path.join(ROOT, "tsconfig.json");
  const tsconfig = readFileSync(tsconfigPath, "utf8");
  const { atime, mtime } = statSync(tsconfigPath);
  const restoreTsconfig = () => {
    if (readFileSync(tsconfigPath, "utf8") === tsconfig) return;
    writeFileSync(tsconfigPath, tsconfig);
    // Keep its old mtime, or the build would look stale at the next start.
    utimesSync(tsconfigPath, atime, mtime);
  };
  if (!dev) {
    const stale = buildIsStale(ROOT);
    if (stale) {
      say(`building the web app (${stale}); ${buildEstimate()}…`);
      const began = Date.now();
      const stamp = contentStamp(ROOT);
      const code = await runToEnd("build", [nextBin, "build"], env);
      restoreTsconfig();
      if (code !== 0) throw new ServiceError(`next build failed (exit code ${code}); see the build output above.`);
      recordBuildStamp(ROOT, stamp);
      const seconds = Math.round((Date.now() - began) / 1000);
      writeFileSync(path.join(DATA, "last-build-seconds"), `${seconds}\n`);
      say(`built in ${formatSeconds(seconds)}`);
    }
    // After the web build, whose tsconfig.json rewrite is undone by then (an input here too).
    const servicesStale = servicesBuildIsStale(ROOT);
    if (servicesStale) {
      say(`building the agent API and the workers (${servicesStale})…`);
      try {
        const built = await buildServices({ root: ROOT });
        say(`built them in ${formatSeconds(Math.max(1, Math.round(built.ms / 1000)))}`);
      } catch (err) {
        throw new ServiceError(`the build of the agent API and the workers failed:\n${(err as Error).message}`);
      }
    }
  }

  if (withAgentApi) run("agent-api", serviceArgs("agent-api", AGENT_API_NODE_FLAGS), { ...env, ISTHMUS_SERVICE: "agent-api", AGENT_API_HOST: agentApiHost });
  run("workers", serviceArgs("workers"), { ...env, ISTHMUS_SERVICE: "worker" });
  // With output: "standalone" Next.js suggests its standalone server; `next start`
  // serves the same build and is what we want locally, so the warning is dropped.
  // The web process appends each request's socket peer to X-Forwarded-For before Next.js
  // sees it (server/http/append-peer.cjs): the only way route handlers learn the real
  // client address. NODE_OPTIONS rather than an argument, so `next dev`'s own child
  // process loads it too.
  const appendPeer = JSON.stringify(path.join(ROOT, "server/http/append-peer.cjs"));
  const webEnv = { ...env, ISTHMUS_SERVICE: "web", NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${appendPeer}`].filter(Boolean).join(" ") };
  run("web", [nextBin, dev ? "dev" : "start", "-p", String(webPort), "-H", webHost], webEnv, { drop: /"next start" does not work with "output: standalone"/ });

  const status = await waitForWeb(webHost, webPort);
  if (stopping) return;
  if (status === null) throw new ServiceError(`the web app did not answer on port ${webPort}; see its output above.`);
  if (status !== 200)
    throw new ServiceError(
      `the web app's /api/health still answers ${status} after 3 minutes; see the output above (is PostgreSQL or Redis refusing connections?).`,
    );
  restoreTsconfig();
  await startDemoAgents(env, agentApiUrl);

  const line = "─".repeat(64);
  console.log(`\n${line}`);
  say(`${paint(1, "Isthmus is running:")} ${publicUrl}`);
  if (seed.password) {
    say(`sign in as ${paint(1, seed.email)} with password ${paint(1, seed.password)}`);
    say(paint(33, "this password is shown only now (only its hash is stored): note it"));
  } else {
    say(`sign in as ${seed.email} (account exists; its password was shown at the first start)`);
  }
  say(`tenant "${seed.tenantSlug}" · health ${publicUrl}/api/health · metrics ${publicUrl}/api/metrics`);
  say(`a part that crashes is restarted; Ctrl-C stops everything${services.length ? " (PostgreSQL and Redis data stay in .data/)" : ""}`);
  console.log(`${line}\n`);
  pendingPassword = undefined;
}

const formatSeconds = (s: number) => (s < 90 ? `${s} s` : `${Math.round(s / 60)} min`);

/** What to expect of `next build`: the last build's time here, else a figure for a small machine. */
function buildEstimate(): string {
  const file = path.join(DATA, "last-build-seconds");
  const last = existsSync(file) ? Number(readFileSync(file, "utf8").trim()) : NaN;
  if (Number.isFinite(last) && last > 0) return `the last build here took ${formatSeconds(last)}`;
  return "the first build can take several minutes on a 2-core machine; later starts skip it unless sources changed";
}

// Shown if start-up fails after the account was created, so the password is not lost.
let pendingPassword: string | undefined;

main().catch(async (err) => {
  const message = err instanceof ServiceError ? err.message : ((err as Error)?.stack ?? String(err));
  console.error(`${paint(31, "isthmus")}  ${message}`);
  if (pendingPassword) console.error(`isthmus  note: the demo account was created; its password is ${pendingPassword}`);
  await shutdown(1);
});
