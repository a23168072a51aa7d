// Benchmark: how long the agent API and the workers take to come up, and their memory
// once up, built (node dist/*.mjs, as production runs them) and through tsx — with an
// empty tsx cache (a fresh container: /tmp is empty) and with a warm one (a developer
// machine, the second start).
//   npx tsx bench/service-startup.ts [--runs 5]
// Each start: spawn, then poll the agent API's /healthz or the workers' /readyz every
// 20 ms until 200; "up" is that moment. Reported: the wall time to it, the CPU time the
// process used to get there (user + system, every thread: on a machine busy with other
// work the wall time mostly measures the wait for a core, the CPU time much less so),
// and VmRSS then and after 3 s idle. The modes take turns, run by run, so a change in
// the machine's load falls on each alike. Against a throwaway database and a Redis
// logical database of its own (bench/lib/setup.ts).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { BUILT_SERVICE_NODE_FLAGS, buildServices, SERVICE_ENTRIES, serviceBundle, type ServiceName } from "../scripts/build-services";
import { AGENT_API_NODE_FLAGS } from "../server/agent-api/node-flags";
import { migrateDeploy } from "../server/platform/db/migrate";
import { freePort, ROOT } from "./lib/processes";
import { claimRedisDb, createThrowawayDatabase } from "./lib/setup";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 50) {
  console.error(`--runs must be a whole number from 1 to 50 (got ${values.runs})`);
  process.exit(64);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMib = (pid: number) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
/** utime + stime of a process (all its threads), in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
}
// USER_HZ: 100 on Linux on every architecture Node runs on.
const CLOCK_TICKS = 100;

type Mode = "built" | "tsx, empty cache" | "tsx, warm cache";

interface Sample {
  upMs: number;
  cpuMs: number;
  rssUp: number;
  rssIdle: number;
}

async function startOnce(service: ServiceName, mode: Mode, env: NodeJS.ProcessEnv, tsxCache: string): Promise<Sample> {
  const port = await freePort();
  const flags = service === "agent-api" ? AGENT_API_NODE_FLAGS : [];
  const args =
    mode === "built"
      ? [...flags, ...BUILT_SERVICE_NODE_FLAGS, serviceBundle(service)]
      : [...flags, "--import", "tsx", path.join(ROOT, SERVICE_ENTRIES[service])];
  const url = service === "agent-api" ? `http://127.0.0.1:${port}/healthz` : `http://127.0.0.1:${port}/readyz`;
  const began = performance.now();
  // tsx keeps its compiled files under the system temp folder: TMPDIR chooses the cache.
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...env,
      TMPDIR: tsxCache,
      AGENT_API_PORT: String(port),
      AGENT_API_HOST: "127.0.0.1",
      WORKERS_HEALTH_PORT: String(port),
      WORKERS_HEALTH_HOST: "127.0.0.1",
      ISTHMUS_SERVICE: service === "agent-api" ? "agent-api" : "worker",
    },
    stdio: "ignore",
  });
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`${service} (${mode}) exited with code ${child.exitCode}`);
      if (i > 3000) throw new Error(`${service} (${mode}) did not answer within 60 s`);
      if (
        await fetch(url).then(
          (r) => r.status === 200,
          () => false,
        )
      )
        break;
      await sleep(20);
    }
    const upMs = performance.now() - began;
    const cpu = cpuMs(child.pid!);
    const rssUp = rssMib(child.pid!);
    await sleep(3000);
    return { upMs, cpuMs: cpu, rssUp, rssIdle: rssMib(child.pid!) };
  } finally {
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([gone, sleep(20_000)]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const pgServer = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const redisBase = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const built = await buildServices({ root: ROOT });
  console.log(
    `built the services in ${(built.ms / 1000).toFixed(1)} s; ${RUNS} starts of each; ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" / ")}`,
  );
  const db = await createThrowawayDatabase(pgServer);
  const redisDb = await claimRedisDb(redisBase);
  const caches: string[] = [];
  try {
    await migrateDeploy(db.url);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXTAUTH_SECRET: randomBytes(24).toString("hex"),
      DATABASE_URL: db.url,
      REDIS_URL: redisDb.url,
      LOG_LEVEL: "warn",
      NODE_OPTIONS: "",
    };
    const warm = mkdtempSync(path.join(os.tmpdir(), "isthmus-tsx-warm-"));
    caches.push(warm);
    for (const service of ["agent-api", "workers"] as const) {
      // Fill the warm cache once, outside the measurement.
      await startOnce(service, "tsx, warm cache", env, warm);
      const modes = ["built", "tsx, empty cache", "tsx, warm cache"] as const;
      const samples = new Map<Mode, Sample[]>(modes.map((m) => [m, []]));
      for (let i = 0; i < RUNS; i++) {
        for (const mode of modes) {
          const cache = mode === "tsx, empty cache" ? mkdtempSync(path.join(os.tmpdir(), "isthmus-tsx-cold-")) : warm;
          if (cache !== warm) caches.push(cache);
          samples.get(mode)!.push(await startOnce(service, mode, env, cache));
        }
      }
      for (const mode of modes) {
        const got = samples.get(mode)!;
        const range = (xs: number[]) =>
          `${(median(xs) / 1000).toFixed(2)} s median (${(Math.min(...xs) / 1000).toFixed(2)}–${(Math.max(...xs) / 1000).toFixed(2)} s)`;
        console.log(
          `${service.padEnd(9)} ${mode.padEnd(16)}  up in ${range(got.map((s) => s.upMs))}, CPU ${range(got.map((s) => s.cpuMs))}` +
            `  RSS when up ${median(got.map((s) => s.rssUp)).toFixed(0)} MiB, 3 s later ${median(got.map((s) => s.rssIdle)).toFixed(0)} MiB`,
        );
      }
    }
  } finally {
    for (const c of caches) rmSync(c, { recursive: true, force: true });
    await redisDb.release();
    await db.drop();
  }
}

await main();
