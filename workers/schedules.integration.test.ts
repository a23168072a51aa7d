// Schedules live only in Redis. When Redis loses its data (FLUSHALL, a failover to an
// empty replica) or restarts empty, the workers must bring the job schedulers back by
// themselves, or lease evaluation stops for good and a silent cluster stays AVAILABLE.
// Runs the real worker registry against a redis-server and a database of its own: lease
// evaluation sweeps every tenant, and other test files' clusters must not be touched.
import pino from "pino";
import { afterAll, beforeAll, expect, test } from "vitest";
import { privateStack, type PrivateDatabase, type PrivateRedis } from "../test/private-stack";

let database: PrivateDatabase;
let redisServer: PrivateRedis;
// Loaded after the environment points at the private servers (each reads it once).
let m: {
  db: typeof import("../server/platform/db/client");
  redis: typeof import("../server/platform/redis");
  queues: typeof import("../server/platform/queues");
  runs: typeof import("../server/platform/schedule-runs");
  fixtures: typeof import("../test/fixtures");
  clusters: typeof import("../test/clusters");
  run: typeof import("./run");
};

beforeAll(async () => {
  ({ database, redisServer } = await privateStack());
  m = {
    db: await import("../server/platform/db/client"),
    redis: await import("../server/platform/redis"),
    queues: await import("../server/platform/queues"),
    runs: await import("../server/platform/schedule-runs"),
    fixtures: await import("../test/fixtures"),
    clusters: await import("../test/clusters"),
    run: await import("./run"),
  };
});

afterAll(async () => {
  await m?.redis.closeRedis();
  await m?.db.closeDb();
  await redisServer?.stop();
  await database?.drop();
});

const log = pino({ level: "silent" });

async function schedulerKeys(): Promise<string[]> {
  const p = m.queues.createProducer();
  try {
    const keys: string[] = [];
    for (const q of m.queues.QUEUE_NAMES) {
      await m.queues.withTimeout(p.queue(q).waitUntilReady(), 2_000, "redis not ready");
      keys.push(...(await p.queue(q).getJobSchedulers()).map((s) => s.key));
    }
    return keys.sort();
  } catch {
    return [];
  } finally {
    await p.close();
  }
}

/** A cluster that heartbeated just now and then went silent, with a 1 s lease. */
async function silentCluster(tenantId: string) {
  const c = await m.clusters.makeCluster(tenantId);
  await m.db.db().cluster.update({ where: { id: c.id }, data: { leaseDurationSeconds: 1, lastSeenAt: new Date() } });
  return c;
}

const availability = async (id: string) => (await m.db.db().cluster.findUniqueOrThrow({ where: { id }, select: { availability: true } })).availability;

test("job schedulers found missing after FLUSHALL are re-created; lease evaluation runs again", { timeout: 90_000 }, async () => {
  const t = await m.fixtures.makeTenant("schedules");
  const ALL = Object.keys(m.queues.SCHEDULES).sort();
  const running = await m.run.startWorkers({ log, scheduleCheckMs: 300 });
  try {
    expect(await schedulerKeys()).toEqual(ALL);
    // Every schedule ran once and its run was recorded.
    await expect
      .poll(async () => (await m.runs.readSchedules()).filter((s) => s.status !== "ok").map((s) => s.name), { timeout: 20_000, interval: 200 })
      .toEqual([]);

    // Redis loses its data without dropping the connection: only the periodic check can tell.
    await m.redis.redis().flushall();
    await expect.poll(schedulerKeys, { timeout: 20_000, interval: 200 }).toEqual(ALL);
    const afterFlush = await silentCluster(t.id);
    await expect.poll(() => availability(afterFlush.id), { timeout: 30_000, interval: 250 }).toBe("UNKNOWN");
    expect(running.health()).toEqual({ redis: true, schedules: true });
  } finally {
    await running.close();
  }

  // With no worker left, the schedules go stale: a minute on, health names the frequent ones.
  const later = await m.runs.readSchedules(new Date(Date.now() + 60_000));
  expect(later.filter((s) => s.status === "stale").map((s) => s.name)).toEqual(expect.arrayContaining(["clusters.evaluate-leases", "clusters.flush"]));
  expect(later.find((s) => s.name === "maintenance.cleanup")?.status).toBe("ok");
});

test("job schedulers are upserted again when Redis restarts empty; lease evaluation runs again", { timeout: 90_000 }, async () => {
  const t = await m.fixtures.makeTenant("restart");
  const ALL = Object.keys(m.queues.SCHEDULES).sort();
  // No periodic check within the test: the reconnect alone must bring the schedulers back.
  const running = await m.run.startWorkers({ log, scheduleCheckMs: 3600_000 });
  try {
    expect(await schedulerKeys()).toEqual(ALL);
    await redisServer.restart();
    await expect.poll(schedulerKeys, { timeout: 30_000, interval: 250 }).toEqual(ALL);
    const afterRestart = await silentCluster(t.id);
    await expect.poll(() => availability(afterRestart.id), { timeout: 30_000, interval: 250 }).toBe("UNKNOWN");
  } finally {
    await running.close();
  }
});

test("after the workers come back, a cluster silent since before is not marked until one lease has passed", { timeout: 60_000 }, async () => {
  const t = await m.fixtures.makeTenant("grace");
  // Silent for an hour (the control plane was down), with a 4 s lease.
  const c = await m.clusters.makeCluster(t.id);
  await m.db.db().cluster.update({ where: { id: c.id }, data: { leaseDurationSeconds: 4, lastSeenAt: new Date(Date.now() - 3600_000) } });
  const running = await m.run.startWorkers({ log, scheduleCheckMs: 300 });
  try {
    // Lease evaluation ran (its run is recorded after the start) and left it alone.
    const started = running.resumedAt();
    await expect
      .poll(async () => (await m.runs.readSchedules()).find((s) => s.name === "clusters.evaluate-leases")!.lastRunAt! >= started, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe(true);
    const leaseOver = started.getTime() + 4_000;
    const state = await availability(c.id);
    // Only meaningful while the grace lasts; on a machine slow enough to pass it, the next poll still holds.
    if (Date.now() < leaseOver) expect(state).toBe("AVAILABLE");
    await expect.poll(() => availability(c.id), { timeout: 30_000, interval: 250 }).toBe("UNKNOWN");
    const marked = await m.db.db().event.findFirstOrThrow({ where: { tenantId: t.id, clusterId: c.id, type: "cluster.unknown" } });
    expect(marked.createdAt.getTime()).toBeGreaterThanOrEqual(leaseOver);
  } finally {
    await running.close();
  }
});

// Its own waits add up to ~55 s on a crowded machine (Redis back, the reconnect's
// backoff, the schedulers checked again), so it gets the same 90 s as the tests above;
// each step is bounded on its own, so a step that hangs is named instead of the test
// simply running out of time.
test("the workers' health listener: live throughout, not ready while Redis is down, ready again after", { timeout: 90_000 }, async () => {
  const step = <T>(name: string, p: Promise<T>, ms = 15_000) => m.queues.withTimeout(p, ms, `stuck for ${ms} ms: ${name}`);
  const { startHealthServer } = await import("./health-server");
  const running = await step("starting the workers", m.run.startWorkers({ log, scheduleCheckMs: 300, closeGraceMs: 3_000 }));
  const server = await startHealthServer(running, 0);
  const get = async (path: string) => {
    const res = await step(`GET ${path}`, fetch(`http://127.0.0.1:${server.port}${path}`), 5_000);
    return { status: res.status, body: await res.json() };
  };
  try {
    expect(await get("/readyz")).toEqual({ status: 200, body: { status: "ok", redis: "ok", schedules: "ok" } });
    expect((await get("/livez")).status).toBe(200);

    await step("killing Redis", redisServer.kill());
    await expect.poll(async () => (await get("/readyz")).status, { timeout: 20_000, interval: 200 }).toBe(503);
    expect((await get("/readyz")).body).toMatchObject({ status: "error", redis: "down" });
    // Liveness does not depend on Redis: restarting the workers would not bring it back.
    expect((await get("/livez")).status).toBe(200);

    await step("restarting Redis", redisServer.restart());
    await expect.poll(async () => (await get("/readyz")).status, { timeout: 30_000, interval: 200 }).toBe(200);
  } finally {
    await step("closing the health listener", server.close(), 5_000);
    // Bounded even when BullMQ would wait for ever after the restart (workers/run.ts).
    await step("closing the workers", running.close());
  }
});
