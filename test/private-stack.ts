// A database and a redis-server of a test file's own, for tests that kill, flush or
// restart them, or that run workers whose sweeps (lease evaluation across every tenant)
// must not touch other test files' rows. Never the shared servers.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createThrowawayDatabase, freePort, startLocalRedis, type LocalService } from "../scripts/local-services";

export interface PrivateDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the test run's PostgreSQL server. */
export async function privateDatabase(serverUrl = process.env.DATABASE_URL!): Promise<PrivateDatabase> {
  const database = await createThrowawayDatabase(serverUrl, "isthmus_private", { migrate: true });
  return { url: database.url, drop: () => database.drop().catch(() => {}) };
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

/** A redis-server from PATH on a free port, without persistence. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "isthmus-redis-"));
  const start = () => startLocalRedis(dir, port, { detached: false, persistent: false });
  let server: LocalService = await start();
  const kill = () => server.crash();
  return {
    url: server.url,
    port,
    kill,
    async restart() {
      await kill();
      server = await start();
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
