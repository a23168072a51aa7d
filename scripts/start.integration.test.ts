// The first ten minutes, for real: the checkout cloned into a fresh folder, `npm start`
// there with no DATABASE_URL and no REDIS_URL (so it starts its own embedded PostgreSQL
// and redis-server under .data/), builds, and says it is running; the CLI, run with
// `npm run cli` from that folder and without DATABASE_URL, reaches the database it made
// (an API token for the demo tenant, which then lists the demo clusters over REST);
// SIGTERM stops the whole process tree; and after `npx isthmus` and what an `npm
// install` with nothing to do rewrites, the next start does not build again.
//
// Slow (a full `next build` on the first start): minutes, not seconds. Its ports are
// free ones picked here, never the e2e console's 3210 or the agent API's default 3100;
// the agent API's URL reaches the build (its rewrite is fixed at build time) through
// AGENT_API_PORT, from which npm start derives AGENT_API_URL before it builds.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort } from "../test/services";
import { buildIsStale } from "./build-staleness";

const ROOT = path.resolve(import.meta.dirname, "..");
const MINUTE = 60_000;
// As root, the embedded PostgreSQL runs as the postgres user, which must be able to
// enter the folder; mkdtemp makes it 0700.
const dir = mkdtempSync(path.join(tmpdir(), "isthmus-start-"));
chmodSync(dir, 0o755);

/**
 * A fresh clone of the checkout's current commit (what CI tests; uncommitted edits are
 * not part of it). node_modules is a hard-linked copy of the checkout's: the same files
 * without a second 1.3 GB, and Turbopack refuses a node_modules symlink that leaves the
 * project. The build staleness check never looks inside node_modules, so how it got
 * there does not change what it decides.
 */
function cloneCheckout() {
  execFileSync("git", ["clone", "--quiet", "--local", "--no-checkout", ROOT, dir]);
  execFileSync("git", ["checkout", "--quiet", execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim()], { cwd: dir });
  try {
    execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")]);
  } catch {
    // Another file system: a real copy.
    execFileSync("cp", ["-a", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")]);
  }
  // What `npm install`'s postinstall does in a fresh clone: generate the Prisma client
  // (git ignores it) into this folder.
  execFileSync(process.execPath, ["--import", "tsx", "scripts/prisma-generate.ts"], { cwd: dir, env: shellEnv(), stdio: "pipe" });
}

let webPort = 0;
let agentApiPort = 0;

/** A shell that has never exported DATABASE_URL or REDIS_URL (the test runner's own are dropped). */
function shellEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const drop = /^(DATABASE_URL|REDIS_URL|NODE_ENV|NODE_OPTIONS|ISTHMUS_.*|PUBLIC_URL|NEXTAUTH_.*|AGENT_API_.*|PORT|HOST|VITEST.*|TEST|LOG_LEVEL|npm_.*)$/;
  for (const k of Object.keys(env)) if (drop.test(k)) delete env[k];
  // npm start sets NODE_ENV for what it runs, as it does from a plain shell.
  return { ...env, NO_COLOR: "1", PORT: String(webPort), AGENT_API_PORT: String(agentApiPort), NEXT_TELEMETRY_DISABLED: "1" };
}

interface Started {
  child: ChildProcess;
  output: () => string;
  /** The pids of the whole tree while it ran (npm, the start script, its children and theirs). */
  tree: () => number[];
}

function ppidOf(pid: number): number | null {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const ppid = ppidOf(pid);
    if (ppid !== null) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Alive and not a zombie waiting for a parent that is gone. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function describeProcess(pid: number): string {
  try {
    return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim().slice(0, 160)}`;
  } catch {
    return String(pid);
  }
}

const runs: Started[] = [];

/** `npm start` in the folder, resolved once it says it is running (or rejected with its output when it exits first). */
async function npmStart(): Promise<Started> {
  // Its own process group, so a test that fails half-way can still take it all down.
  const child = spawn("npm", ["start"], { cwd: dir, env: shellEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const seen = new Set<number>();
  const started: Started = { child, output: () => output, tree: () => [...seen] };
  runs.push(started);
  const track = setInterval(() => descendants(child.pid!).forEach((p) => seen.add(p)), 500);
  child.once("exit", () => clearInterval(track));
  await new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      output += b.toString();
      if (/Isthmus is running:/.test(output) && /tenant "[^"]+"/.test(output)) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => reject(new Error(`npm start exited (${code ?? signal}) before it was running:\n${output}`)));
  });
  descendants(child.pid!).forEach((p) => seen.add(p));
  return started;
}

/** SIGTERM to npm, as a terminal or a service manager sends it; resolves with its exit code and whatever of the tree is still alive after a grace period. */
async function stop(s: Started): Promise<{ code: number | null; survivors: string[] }> {
  const tree = s.tree();
  const exited = s.child.exitCode !== null ? Promise.resolve(s.child.exitCode) : new Promise<number | null>((r) => s.child.once("exit", (code) => r(code)));
  const closed = new Promise((r) => s.child.once("close", r));
  s.child.kill("SIGTERM");
  const code = await exited;
  // Its last lines may still be in the pipe (which any survivor would hold open).
  await Promise.race([closed, new Promise((r) => setTimeout(r, 30_000))]);
  // Postgres and Redis stop after the supervisor's children; give stragglers a moment.
  for (let i = 0; i < 120 && tree.some(alive); i++) await new Promise((r) => setTimeout(r, 250));
  return { code, survivors: tree.filter(alive).map(describeProcess) };
}

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync("npm", ["run", "--silent", "cli", "--", ...args], {
      cwd: dir,
      env: shellEnv(),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { code: 0, stdout, stderr: "" };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

beforeAll(async () => {
  webPort = await freePort();
  agentApiPort = await freePort();
  for (const taken of [3210, 3100]) expect([webPort, agentApiPort]).not.toContain(taken);
  cloneCheckout();
}, 10 * MINUTE);

afterAll(async () => {
  // Whatever a failed test left running: the whole tree, by the pids seen.
  for (const s of runs) {
    for (const pid of s.tree().filter(alive)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("npm start in a fresh folder", { timeout: 25 * MINUTE }, () => {
  let tenant = "";
  let buildId = 0;

  test("the first start builds, runs, and writes .data/env; the CLI without DATABASE_URL reaches its database; SIGTERM stops every process", async () => {
    expect(existsSync(path.join(dir, ".next")), "the copy must start without a build").toBe(false);
    const first = await npmStart();
    const out = first.output();
    expect(out).toMatch(/PostgreSQL \(embedded, data in \.data\/postgres\)/);
    expect(out).toMatch(/Redis \(redis-server, data in \.data\/redis\)/);
    expect(out).toMatch(/building the web app \(no build yet\)/);
    expect(out).toContain(`Isthmus is running: http://localhost:${webPort}`);
    tenant = /tenant "([^"]+)"/.exec(out)![1]!;
    buildId = statSync(path.join(dir, ".next/BUILD_ID")).mtimeMs;
    expect(statSync(path.join(dir, ".data/env")).mode & 0o777).toBe(0o600);

    // The CLI, from the folder, with nothing exported: an API token for the demo tenant.
    const made = cli("api-token", "create", "--tenant", tenant, "--role", "VIEWER", "--name", "start-test");
    expect(made, made.stderr).toMatchObject({ code: 0 });
    const token = made.stdout.trim();
    expect(token).toMatch(/^\S+$/);

    // That token, against the running console, lists the demo fleet's simulated clusters:
    // the CLI wrote into the very database npm start serves.
    const names = async () => {
      const res = await fetch(`http://127.0.0.1:${webPort}/api/v1/clusters?limit=50`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) return `HTTP ${res.status}: ${await res.text()}`;
      return ((await res.json()) as { items: Array<{ name: string }> }).items.map((c) => c.name).sort();
    };
    // The demo agents enrol after "running": wait for all seven (3 edge, 2 cloud, 2 on-prem).
    // (An error answer stays a string, so it never counts as seven.)
    await expect.poll(async () => ((n) => (Array.isArray(n) ? n.length : n))(await names()), { timeout: 3 * MINUTE, interval: 1000 }).toBe(7);

    const stopped = await stop(first);
    expect(stopped.code, first.output().slice(-2000)).toBe(0);
    expect(first.output()).toContain("stopped");
    // npm, the start script, web, workers, agent API, the demo agents, PostgreSQL and Redis.
    expect(first.tree().length).toBeGreaterThan(8);
    expect(stopped.survivors).toEqual([]);
  });

  test("after npx isthmus and an npm install that changes nothing, the next start does not build again, and runs", async () => {
    expect(tenant, "the first start did not run").not.toBe("");
    // What a user does between starts: the CLI as `npx isthmus` (the folder's own bin,
    // so the report is the CLI's), and what `npm install` with nothing to install leaves
    // behind: package-lock.json written out again unchanged and the Prisma client
    // regenerated, both newer than the build.
    const report = execFileSync("npx", ["isthmus", "netpol", "list", "--dir", "server/netpol/engine/testdata/shop"], {
      cwd: dir,
      env: shellEnv(),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(report).toBe(readFileSync(path.join(dir, "server/netpol/engine/testdata/golden/shop.txt"), "utf8"));
    const lock = path.join(dir, "package-lock.json");
    writeFileSync(lock, readFileSync(lock));
    execFileSync(process.execPath, ["--import", "tsx", "scripts/prisma-generate.ts"], { cwd: dir, env: shellEnv(), stdio: "pipe" });
    expect(statSync(lock).mtimeMs).toBeGreaterThan(buildId);
    // The staleness check is what decides; it sees no source changed since the build.
    expect(buildIsStale(dir)).toBeNull();
    const second = await npmStart();
    const out = second.output();
    expect(out).not.toMatch(/building the/);
    expect(out).toContain(`Isthmus is running: http://localhost:${webPort}`);
    expect(out).toMatch(/sign in as \S+ \(account exists/);
    expect(statSync(path.join(dir, ".next/BUILD_ID")).mtimeMs).toBe(buildId);
    const health = await fetch(`http://127.0.0.1:${webPort}/api/health`);
    expect(health.status).toBe(200);

    const stopped = await stop(second);
    expect(stopped.code).toBe(0);
    expect(stopped.survivors).toEqual([]);

    // And the check is live in this folder: a changed lockfile or source would rebuild.
    writeFileSync(lock, readFileSync(lock, "utf8").replace(/\n$/, "\n\n"));
    expect(buildIsStale(dir)).toBe("package-lock.json changed since the last build");
    const page = path.join(dir, "app/layout.tsx");
    const later = new Date(Date.now() + 5_000);
    utimesSync(page, later, later);
    expect(buildIsStale(dir)).toBe("sources changed since the last build");
  });
});
