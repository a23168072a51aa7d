// Queues and jobs, in one place. A job name is "<domain>.<verb>"; its queue is its
// domain. Every job has a zod payload of ids only (never secrets or whole documents:
// job data sits in Redis in clear text), parsed when enqueued and again before the
// handler runs. Handlers live in workers/registry.ts; producers (web, CLI, agent API)
// import only this module.
import { Queue, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import { env } from "./env";
import { KEY_PREFIX } from "./redis";

export const JOBS = {
  // Deletes expired invites and long-dead API tokens; one audit row per tenant.
  // Without tenantId (the schedule) it sweeps every tenant.
  "maintenance.cleanup": { payload: z.object({ tenantId: z.string().min(1).optional() }).strict() },
  // Marks AVAILABLE clusters with no heartbeat for 3 leases UNKNOWN (every 5 s, all tenants).
  "clusters.evaluate-leases": { payload: z.object({}).strict() },
  // Writes heartbeat hot state from Redis to Postgres, every 250 ms.
  "clusters.flush": { payload: z.object({}).strict() },
  // Delivers what the delivery outbox still holds: changes whose request died or failed
  // between commit and publish (every 2 s, all tenants; one tenant's when given).
  "config.drain-outbox": { payload: z.object({ tenantId: z.string().min(1).optional() }).strict() },
  // Writes closed minutes' gateway sample buckets from Redis to the 1-minute rollups (every 5 s).
  "gateways.flush-minutes": { payload: z.object({}).strict() },
  // Rolls closed hours of 1-minute rollups up into the 1-hour table (every 5 min).
  "gateways.rollup-hours": { payload: z.object({}).strict() },
  // Creates rollup partitions ahead and drops those past retention (hourly).
  "gateways.maintain-partitions": { payload: z.object({}).strict() },
  // Evaluates every link's health (thresholds, silence, flapping); writes transitions and their events (every 5 s).
  "gateways.evaluate-links": { payload: z.object({}).strict() },
  // Opens and resolves alerts from every tenant's rules (every 10 s).
  "alerts.evaluate": { payload: z.object({}).strict() },
  // Sends one webhook delivery (job id = delivery; the secret is read from Postgres, never queued).
  "alerts.deliver-webhook": { payload: z.object({ deliveryId: z.string().min(1).max(64) }).strict() },
  // One step of a rollout (asked for by the ack that settled or failed a wave; job id =
  // rollout + step). Idempotent: the step is decided from Postgres under the rollout's lock.
  "rollouts.advance": { payload: z.object({ rolloutId: z.string().min(1).max(64) }).strict() },
  // Steps every unfinished rollout from Postgres (deadlines, soak windows, queued ones,
  // and whatever a lost job would have done), every second.
  "rollouts.reconcile": { payload: z.object({}).strict() },
} as const satisfies Record<`${string}.${string}`, { payload: z.ZodType }>;

export type JobName = keyof typeof JOBS;

/**
 * The jobs that run on a fixed interval (ms), each produced by one BullMQ job scheduler
 * named after the job. Read by the workers (which create the schedulers) and by health
 * and metrics (which report a schedule that stopped running).
 */
export const SCHEDULES = {
  "maintenance.cleanup": 15 * 60_000,
  "clusters.evaluate-leases": 5_000,
  // 250 ms rather than 1 s: see workers/jobs/clusters.ts.
  "clusters.flush": 250,
  "config.drain-outbox": 2_000,
  // 2 s: a closed minute's buckets are written in shares over 30 s (gateways/flush-minutes.ts),
  // so a sample is in the 1-minute table at most ~37 s after its minute closes (limit: 70 s).
  "gateways.flush-minutes": 2_000,
  "gateways.rollup-hours": 5 * 60_000,
  "gateways.maintain-partitions": 60 * 60_000,
  "gateways.evaluate-links": 5_000,
  "alerts.evaluate": 10_000,
  "rollouts.reconcile": 1_000,
} as const satisfies Partial<Record<JobName, number>>;
export type ScheduledJobName = keyof typeof SCHEDULES;

/**
 * How long a schedule may go without a completed run before health calls it stale: two
 * intervals (one run may be slow or retried) plus 30 s, so a Redis restart and the
 * re-creation of the schedulers that follows fit inside the margin.
 */
export const staleAfterMs = (everyMs: number) => 2 * everyMs + 30_000;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]["payload"]>;

/** The queue a job runs on: its domain, the part before the dot. */
export const queueOf = (job: JobName) => job.slice(0, job.indexOf("."));
export const QUEUE_NAMES = [...new Set((Object.keys(JOBS) as JobName[]).map(queueOf))];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

/** Parse a payload against its job's schema (throws a ZodError naming the field). */
export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return JOBS[name].payload.parse(data) as JobPayload<N>;
}

// Five attempts over about a minute (2 s, 4 s, 8 s, 16 s); a few hundred finished
// jobs kept for inspection, failed ones for a week.
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { count: 500, age: 24 * 3600 },
  removeOnFail: { count: 5_000, age: 7 * 24 * 3600 },
};

export interface QueueConfig {
  /** Redis key prefix; keep the {hash tag} so every key of a queue lands in one Cluster slot. */
  prefix?: string;
  redisUrl?: string;
}

/**
 * Producer connection: fails fast when Redis is down (no offline queue, one retry),
 * so a web request that enqueues gets an error instead of hanging.
 */
export const producerConnection = (redisUrl = env().REDIS_URL) =>
  new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectionName: "isthmus-producer" });

/**
 * Worker connection: waits out a Redis restart instead of failing jobs
 * (BullMQ requires maxRetriesPerRequest: null for its blocking commands).
 */
export const workerConnection = (redisUrl = env().REDIS_URL) => new Redis(redisUrl, { maxRetriesPerRequest: null, connectionName: "isthmus-worker" });

const READY_TIMEOUT_MS = 3_000;

export interface Producer {
  prefix: string;
  queue(name: string): Queue;
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts?: Pick<JobsOptions, "jobId" | "delay" | "priority">): Promise<{ id: string | undefined }>;
  close(): Promise<void>;
}

/** Queues sharing one fail-fast connection. Close it when the process ends. */
export function createProducer(config: QueueConfig = {}): Producer {
  const prefix = config.prefix ?? KEY_PREFIX;
  const connection = producerConnection(config.redisUrl);
  // ioredis emits "error" on every failed reconnect; the callers see the failures.
  connection.on("error", () => {});
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      q.on("error", () => {});
      queues.set(name, q);
    }
    return q;
  };
  return {
    prefix,
    queue,
    async enqueue(name, payload, opts = {}) {
      const data = parsePayload(name, payload);
      const q = queue(queueOf(name));
      await withTimeout(q.waitUntilReady(), READY_TIMEOUT_MS, "Redis is not reachable: cannot enqueue " + name);
      const job = await q.add(name, data, { ...DEFAULT_JOB_OPTIONS, ...opts });
      return { id: job.id };
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close().catch(() => {})));
      queues.clear();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

const globalForQueues = globalThis as unknown as { isthmusProducer?: Producer };

/** The process-wide producer (web, agent API). */
export function producer(): Producer {
  globalForQueues.isthmusProducer ??= createProducer();
  return globalForQueues.isthmusProducer;
}

export async function closeProducer() {
  await globalForQueues.isthmusProducer?.close();
  globalForQueues.isthmusProducer = undefined;
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
