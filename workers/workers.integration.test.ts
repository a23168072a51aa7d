import { randomBytes } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordHeartbeat } from "../server/clusters/record-heartbeat";
import { db } from "../server/platform/db/client";
import { createProducer, type Producer } from "../server/platform/queues";
import { makeCluster } from "../test/clusters";
import { makeTenant, type TenantFixture } from "../test/fixtures";
import { startWorkers, type RunningWorkers } from "./run";

// A prefix of its own, so this file never sees another run's jobs (the hash tag keeps
// every key of the run in one Redis Cluster slot, as in production).
const prefix = `{isthmus-test-${randomBytes(4).toString("hex")}}`;
const log = pino({ level: "silent" });
const DAY = 86400_000;

let producer: Producer;
let running: RunningWorkers | undefined;

beforeAll(() => {
  producer = createProducer({ prefix });
});

afterAll(async () => {
  await running?.close();
  await producer.queue("maintenance").obliterate({ force: true });
  await producer.queue("clusters").obliterate({ force: true });
  await producer.close();
});

async function seedSecrets(t: TenantFixture) {
  const now = Date.now();
  const base = { tenantId: t.id, secretHash: "x", role: "VIEWER" as const };
  const id = (s: string) => `${s}${randomBytes(6).toString("hex")}`;
  const invites = {
    expired: await db().invite.create({ data: { ...base, id: id("inv"), email: "a@example.test", expiresAt: new Date(now - 1000) } }),
    open: await db().invite.create({ data: { ...base, id: id("inv"), email: "b@example.test", expiresAt: new Date(now + DAY) } }),
  };
  const tokens = {
    longExpired: await db().apiToken.create({ data: { ...base, id: id("tok"), name: "long expired", expiresAt: new Date(now - 31 * DAY) } }),
    longRevoked: await db().apiToken.create({
      data: { ...base, id: id("tok"), name: "long revoked", expiresAt: new Date(now + DAY), revokedAt: new Date(now - 31 * DAY) },
    }),
    recentlyExpired: await db().apiToken.create({ data: { ...base, id: id("tok"), name: "recently expired", expiresAt: new Date(now - 2 * DAY) } }),
    recentlyRevoked: await db().apiToken.create({
      data: { ...base, id: id("tok"), name: "recently revoked", expiresAt: new Date(now + DAY), revokedAt: new Date(now - DAY) },
    }),
    live: await db().apiToken.create({ data: { ...base, id: id("tok"), name: "live", expiresAt: new Date(now + DAY) } }),
  };
  return { invites, tokens };
}

describe("maintenance.cleanup through the queue", () => {
  it("deletes expired invites and tokens dead for 30 days, with one audit row per tenant", async () => {
    const t = await makeTenant("cleanup");
    const other = await makeTenant("cleanup-other");
    const mine = await seedSecrets(t);
    const theirs = await seedSecrets(other);

    running = await startWorkers({ prefix, log, schedule: false });
    const worker = running.workers.find((w) => w.name === "maintenance")!;
    const { id } = await producer.enqueue("maintenance.cleanup", { tenantId: t.id });
    await new Promise<void>((resolve, reject) => {
      worker.on("completed", (job) => job.id === id && resolve());
      worker.on("failed", (job, err) => job?.id === id && reject(err));
    });

    const invites = await db().invite.findMany({ where: { tenantId: t.id }, select: { id: true } });
    expect(invites.map((i) => i.id)).toEqual([mine.invites.open.id]);
    const tokens = await db().apiToken.findMany({ where: { tenantId: t.id }, select: { name: true }, orderBy: { name: "asc" } });
    expect(tokens.map((x) => x.name)).toEqual(["live", "recently expired", "recently revoked"]);

    const audit = await db().auditLog.findMany({ where: { tenantId: t.id, action: "maintenance.cleanup" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "SYSTEM", actorLabel: "maintenance", targetType: "tenant", targetId: t.id });
    const diff = audit[0].diff as Record<string, { from: unknown; to: unknown }>;
    expect(diff.invites.from).toEqual([mine.invites.expired.id]);
    expect(diff.apiTokensRemoved.to).toBe(2);
    expect(JSON.stringify(diff)).not.toContain("secretHash");

    // The job was scoped to one tenant: the other tenant keeps everything.
    expect(await db().invite.count({ where: { tenantId: other.id } })).toBe(2);
    expect(await db().apiToken.count({ where: { tenantId: other.id, id: { in: Object.values(theirs.tokens).map((x) => x.id) } } })).toBe(5);
  });

  it("refuses a payload that does not match the job's schema, without retrying", async () => {
    await expect(producer.enqueue("maintenance.cleanup", { tenantId: "" })).rejects.toThrow(/tenantId/);
    // A producer that bypassed the schema: the worker rejects it and does not retry.
    running ??= await startWorkers({ prefix, log, schedule: false });
    const worker = running.workers.find((w) => w.name === "maintenance")!;
    const job = await producer.queue("maintenance").add("maintenance.cleanup", { tenantId: 42 }, { attempts: 5 });
    const err = await new Promise<Error>((resolve) => worker.on("failed", (j, e) => j?.id === job.id && resolve(e)));
    expect(err.message).toMatch(/invalid payload for maintenance.cleanup: tenantId/);
    const failed = await producer.queue("maintenance").getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
  });
});

describe("job schedulers", () => {
  it("registers one scheduler per scheduled job, every 15 minutes, and drops stale ones", async () => {
    const schedPrefix = `{isthmus-test-${randomBytes(4).toString("hex")}}`;
    const p = createProducer({ prefix: schedPrefix });
    try {
      await p.queue("maintenance").upsertJobScheduler("maintenance.retired", { every: 60_000 }, { name: "maintenance.retired" });
      // A handler that does nothing: a sweep of every tenant must not race other test files.
      const noop = [{ name: "maintenance.cleanup" as const, handler: async () => null, schedule: { everyMs: 15 * 60_000 } }];
      const w = await startWorkers({ prefix: schedPrefix, log, registry: noop });
      await w.close();
      const schedulers = await p.queue("maintenance").getJobSchedulers();
      expect(schedulers.map((s) => ({ key: s.key, every: s.every }))).toEqual([{ key: "maintenance.cleanup", every: 900_000 }]);
      await p.queue("maintenance").obliterate({ force: true });
    } finally {
      await p.close();
    }
  });
});

describe("clusters.flush through the queue", () => {
  it("writes a heartbeat from Redis to Postgres and makes an UNKNOWN cluster AVAILABLE again, with an event", async () => {
    const t = await makeTenant("flush");
    const c = await makeCluster(t.id, { availability: "UNKNOWN" });
    const agent = { credentialId: "cred", clusterId: c.id, clusterName: c.name, tenantId: t.id, tenantSlug: t.slug, leaseDurationSeconds: 15 };
    await recordHeartbeat(agent, { seq: 7, sentAt: new Date().toISOString(), appliedRevision: 0, components: [{ name: "agent", status: "OK" }], gateways: [] });
    // Nothing in Postgres until a flush runs.
    expect(await db().cluster.findUniqueOrThrow({ where: { id: c.id }, select: { availability: true } })).toEqual({ availability: "UNKNOWN" });

    running ??= await startWorkers({ prefix, log, schedule: false });
    const worker = running.workers.find((w) => w.name === "clusters")!;
    // Another test file's flush may take this cluster's dirty mark first: flush until seen.
    for (let i = 0; i < 20; i++) {
      const { id } = await producer.enqueue("clusters.flush", {});
      await new Promise<void>((resolve, reject) => {
        worker.on("completed", (job) => job.id === id && resolve());
        worker.on("failed", (job, err) => job?.id === id && reject(err));
      });
      const row = await db().cluster.findUniqueOrThrow({ where: { id: c.id }, select: { availability: true, lastHeartbeatSeq: true } });
      if (row.lastHeartbeatSeq === 7n) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await db().cluster.findUniqueOrThrow({ where: { id: c.id }, select: { availability: true, lastHeartbeatSeq: true } })).toEqual({
      availability: "AVAILABLE",
      lastHeartbeatSeq: 7n,
    });
    const events = await db().event.findMany({ where: { tenantId: t.id, clusterId: c.id }, select: { type: true } });
    expect(events).toEqual([{ type: "cluster.available" }]);
  });
});

describe("close", () => {
  it("waits for a running job, but not for ever: past the grace it returns, and the job is left to run again", async () => {
    // A handler that never finishes (a query on a connection gone bad): SIGTERM must still stop the process.
    // The workers of the tests above would take the job first.
    await running?.close();
    running = undefined;
    let started!: () => void;
    const jobStarted = new Promise<void>((r) => (started = r));
    const w = await startWorkers({
      prefix,
      log,
      schedule: false,
      closeGraceMs: 500,
      registry: [{ name: "maintenance.cleanup", handler: () => (started(), new Promise(() => {})) }],
    });
    try {
      await producer.enqueue("maintenance.cleanup", {});
      await jobStarted;
    } finally {
      const t0 = performance.now();
      await w.close();
      // Bounded by the grace plus the connections' own quit, not by the job.
      expect(performance.now() - t0).toBeLessThan(10_000);
    }
    // The job was not completed: it is still active (its lock lapses and it runs again as stalled).
    expect(await producer.queue("maintenance").getActiveCount()).toBe(1);
  });
});
