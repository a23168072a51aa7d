// The web server of the Playwright run (playwright.config.ts `webServer`). Playwright
// starts it *before* globalSetup, and the app needs its database URL when it starts, so
// the database is made here: a fresh `isthmus_e2e_<random>` on the server of
// DATABASE_URL (or on an embedded PostgreSQL when it is unset), migrated, and Redis
// from REDIS_URL (or a private redis-server). Then the built app is served with
// `next start`, building it first when `.next` is missing or older than the sources.
// The URLs go to .data/e2e/state.json for the tests (which create users through the
// services) and for globalTeardown (which drops the database).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createThrowawayDatabase, freePort, startLocalPostgres, startLocalRedis } from "../scripts/local-services";
import { ROOT } from "../test/services";
import { E2E_PORT, E2E_SECRET, STATE_FILE, type E2EState } from "./support/state";

const log = (msg: string) => process.stdout.write(`[e2e] ${msg}\n`);

// Newest modification time under the inputs of the build.
function newestSource(): number {
  const roots = ["app", "components", "lib", "server", "protocol", "next.config.js", "postcss.config.mjs", "package.json", "tsconfig.json"];
  let newest = 0;
  const walk = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== "node_modules" && !e.startsWith(".")) walk(path.join(p, e));
    } else if (!/\.(test|spec)\.tsx?$/.test(p)) newest = Math.max(newest, st.mtimeMs);
  };
  for (const r of roots) walk(path.join(ROOT, r));
  return newest;
}

function buildIfStale() {
  const mode = process.env.E2E_BUILD ?? "auto"; // auto | always | never
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  const built = statSync(buildId, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (mode === "never" || (mode === "auto" && built > newestSource())) {
    if (!built) throw new Error("E2E_BUILD=never but there is no build in .next: run `npx next build` first");
    log("reusing the build in .next");
    return;
  }
  log("building the app (next build)…");
  // `next build` rewrites tsconfig.json's formatting; keep the file as committed.
  const tsconfig = readFileSync(path.join(ROOT, "tsconfig.json"), "utf8");
  // Some server modules validate the environment as they load, and the build loads them.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? E2E_SECRET };
  const r = spawnSync("npx", ["next", "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], env });
  writeFileSync(path.join(ROOT, "tsconfig.json"), tsconfig);
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status})`);
}

async function main() {
  const stops: Array<() => Promise<void>> = [];
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const started = await startLocalPostgres(path.join(ROOT, ".data/e2e-postgres"), await freePort(), { detached: false });
    stops.push(started.stop);
    serverUrl = started.url;
    log("started an embedded PostgreSQL");
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    // A private Redis, so sign-in rate-limit counters never leak between runs.
    const started = await startLocalRedis(path.join(ROOT, ".data/e2e-redis"), await freePort(), { detached: false, persistent: false });
    stops.push(started.stop);
    redisUrl = started.url;
  }

  const { name: dbName, url: databaseUrl } = await createThrowawayDatabase(serverUrl, "isthmus_e2e", { migrate: true });
  log(`database ${dbName} created and migrated`);

  buildIfStale();

  const baseURL = `http://localhost:${E2E_PORT}`;
  const state: E2EState = { databaseUrl, redisUrl, serverUrl, dbName, baseURL };
  mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));

  const next = spawn("npx", ["next", "start", "-p", String(E2E_PORT)], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      NEXTAUTH_SECRET: E2E_SECRET,
      // next-auth must see the origin the browser uses: localhost, not 127.0.0.1.
      NEXTAUTH_URL: baseURL,
      PUBLIC_URL: baseURL,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      // As under `npm start`: the socket's peer is appended to X-Forwarded-For before
      // Next.js runs, so sign-in throttling and the audit log see the real address.
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${JSON.stringify(path.join(ROOT, "server/http/append-peer.cjs"))}`].filter(Boolean).join(" "),
    },
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    next.kill("SIGTERM");
    for (const s of stops.reverse()) await s().catch(() => {});
    process.exit(code);
  };
  next.on("exit", (code) => void stop(code ?? 1));
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
}

if (!existsSync(path.join(ROOT, "node_modules/.bin/next"))) throw new Error("next is not installed");
main().catch((err) => {
  process.stderr.write(`[e2e] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
