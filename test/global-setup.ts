// One database per test run, created fresh and migrated; never the one `npm start` uses.
// Without DATABASE_URL / REDIS_URL, a PostgreSQL and a redis-server of the run's own are
// started (no data kept).
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createThrowawayDatabase, freePort, startLocalPostgres, startLocalRedis } from "../scripts/local-services";
import { ROOT } from "./services";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<void>> = [];
  const attached = { detached: false, persistent: false };
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const started = await startLocalPostgres(path.join(ROOT, ".data/test-postgres", String(process.pid)), await freePort(), attached);
    stops.push(started.stop);
    serverUrl = started.url;
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const started = await startLocalRedis(path.join(ROOT, ".data/test-redis", String(process.pid)), await freePort(), attached);
    stops.push(started.stop);
    redisUrl = started.url;
  }
  const database = await createThrowawayDatabase(serverUrl, "isthmus_test", { migrate: true });
  project.provide("databaseUrl", database.url);
  project.provide("redisUrl", redisUrl);
  process.env.ISTHMUS_TEST_DATABASE_URL = database.url;
  process.env.ISTHMUS_TEST_REDIS_URL = redisUrl;

  return async () => {
    await database.drop().catch(() => {});
    for (const stop of stops.reverse()) await stop();
  };
}
