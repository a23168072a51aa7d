// One database per test run, created fresh and migrated; never the one `npm start` uses.
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDeploy } from "../server/platform/db/migrate";
import { ROOT, freePort, startEmbeddedPostgres, startRedis, type Started } from "./services";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<void>> = [];
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const started: Started = await startEmbeddedPostgres(path.join(ROOT, ".data/test-postgres", String(process.pid)), await freePort(), false);
    stops.push(started.stop);
    serverUrl = started.url;
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const started = await startRedis(path.join(ROOT, ".data/test-redis", String(process.pid)), await freePort(), false);
    stops.push(started.stop);
    redisUrl = started.url;
  }
  const dbName = `isthmus_test_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  await migrateDeploy(databaseUrl);
  project.provide("databaseUrl", databaseUrl);
  project.provide("redisUrl", redisUrl);
  process.env.ISTHMUS_TEST_DATABASE_URL = databaseUrl;
  process.env.ISTHMUS_TEST_REDIS_URL = redisUrl;

  return async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await c.end();
    for (const stop of stops.reverse()) await stop();
  };
}
