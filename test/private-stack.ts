// A database and a redis-server of a test file's own, for tests that kill, flush or
// restart them, or that run workers whose sweeps (lease evaluation across every tenant)
// must not touch other test files' rows. Never the shared servers.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrateDeploy } from "../server/platform/db/migrate";
import { freePort, redisServerPath } from "./services";

export interface PrivateDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the test run's PostgreSQL server. */
export async function privateDatabase(serverUrl = process.env.DATABASE_URL!): Promise<PrivateDatabase> {
  const name = `isthmus_private_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrateDeploy(url.toString());
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {}) };
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** Start again on the same port, empty (no persistence), as after a crash without data. */
  restart(): Promise<void>;
  /** SIGKILL the server (no restart). */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });

/** A redis-server from PATH on a free port, without persistence. */
export async function privateRedis(): Promise<PrivateRedis> {
  const bin = redisServerPath();
  if (!bin) throw new Error("redis-server is not on PATH");
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "isthmus-redis-"));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(bin, ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    for (let i = 0; i < 200 && !(await portOpen(port)); i++) await new Promise((r) => setTimeout(r, 50));
    if (!(await portOpen(port))) throw new Error(`redis-server did not start on port ${port}`);
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await gone;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    async restart() {
      await kill();
      await start();
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A private database and redis-server, with this process's services pointed at them
 * (set before the services are imported: they read the environment once).
 */
export async function privateStack(): Promise<{ database: PrivateDatabase; redisServer: PrivateRedis }> {
  const database = await privateDatabase();
  const redisServer = await privateRedis();
  process.env.DATABASE_URL = database.url;
  process.env.REDIS_URL = redisServer.url;
  return { database, redisServer };
}
