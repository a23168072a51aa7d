// Starts one BullMQ Worker per queue that has registered jobs, and the job
// schedulers. Used by workers/index.ts (the process) and by integration tests.
//
// Schedules live only in Redis. A Redis that restarts without its data, fails over to an
// empty replica or is flushed loses them, and nothing would ever produce those jobs
// again (lease evaluation, the heartbeat flush and cleanup would stop for good). So the
// schedulers are upserted again on every reconnect, and a cheap periodic check
// re-creates any that went missing without a reconnect. Each completed scheduled run
// is recorded in Postgres (server/platform/schedule-runs.ts) for health and metrics.
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Logger } from "pino";
import { ZodError } from "zod";
import { KEY_PREFIX } from "../server/platform/redis";
import {
  createProducer,
  DEFAULT_JOB_OPTIONS,
  isJobName,
  parsePayload,
  queueOf,
  withTimeout,
  workerConnection,
  type QueueConfig,
} from "../server/platform/queues";
import { recordScheduleRun } from "../server/platform/schedule-runs";
import { registry as defaultRegistry, type JobEntry } from "./registry";

export interface StartOptions extends QueueConfig {
  log: Logger;
  registry?: JobEntry[];
  /** Jobs run at once per queue (per process). */
  concurrency?: number;
  /** Create or update the job schedulers of scheduled entries, and keep them present (default true). */
  schedule?: boolean;
  /** How often to check that every job scheduler still exists (default 5 s). */
  scheduleCheckMs?: number;
  /** How long close() lets running jobs finish before it cuts the workers' connections (default 10 s). */
  closeGraceMs?: number;
}

export interface WorkersHealth {
  /** The worker connection to Redis is up. */
  redis: boolean;
  /** The last check found (or re-created) every job scheduler; true when not scheduling. */
  schedules: boolean;
}

export interface RunningWorkers {
  workers: Worker[];
  /**
   * Since when this process has had Redis without interruption: its start, the last
   * reconnect, or the last time schedulers were found missing (Redis lost its data).
   * Lease evaluation gives agents one lease from here before marking any cluster.
   */
  resumedAt(): Date;
  health(): WorkersHealth;
  close(): Promise<void>;
}

// A run is recorded in Postgres at most this often per job: the flush runs four times a second.
const RECORD_EVERY_MS = 1_000;
// How long close() lets running jobs finish before it cuts the workers' connections.
const CLOSE_GRACE_MS = 10_000;

export async function startWorkers(opts: StartOptions): Promise<RunningWorkers> {
  const registry = opts.registry ?? defaultRegistry;
  const prefix = opts.prefix ?? KEY_PREFIX;
  const byName = new Map(registry.map((e) => [e.name, e]));
  const scheduled = registry.filter((e) => e.schedule);
  const connection = workerConnection(opts.redisUrl);
  connection.on("error", (err) => opts.log.warn({ err: err.message }, "redis connection error"));
  let resumedAt = new Date();
  let schedulesOk = opts.schedule === false || scheduled.length === 0;
  const recordedAt = new Map<string, number>();

  const record = (name: string) => {
    const now = Date.now();
    if (now - (recordedAt.get(name) ?? 0) < RECORD_EVERY_MS) return;
    recordedAt.set(name, now);
    // Losing one record is harmless (the next run writes again); failing the job for it is not.
    recordScheduleRun(name, new Date(now), prefix).catch((err: Error) => {
      recordedAt.delete(name);
      opts.log.warn({ job: name, err: err.message }, "could not record the schedule's run");
    });
  };

  const processJob = async (job: Job) => {
    const entry = isJobName(job.name) ? byName.get(job.name) : undefined;
    // Retrying cannot help a job nobody handles or a payload that does not parse.
    if (!entry) throw new UnrecoverableError(`no handler for job "${job.name}"`);
    let payload: unknown;
    try {
      payload = parsePayload(entry.name, job.data);
    } catch (err) {
      const detail = err instanceof ZodError ? err.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ") : String(err);
      throw new UnrecoverableError(`invalid payload for ${job.name}: ${detail}`);
    }
    const log = opts.log.child({ job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
    const started = performance.now();
    const result = await entry.handler(payload as never, { job, log, resumedAt });
    // Scheduled jobs run every few seconds; their successes would drown the log.
    const done = { ms: Math.round(performance.now() - started), result };
    if (entry.schedule) {
      log.debug(done, "job done");
      record(entry.name);
    } else log.info(done, "job done");
    return result;
  };

  const queueNames = [...new Set(registry.map((e) => queueOf(e.name)))];
  const workers = queueNames.map((name) => {
    const w = new Worker(name, processJob, { connection, prefix, concurrency: opts.concurrency ?? 4 });
    w.on("failed", (job, err) => opts.log.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, "job failed"));
    w.on("error", (err) => opts.log.error({ queue: name, err: err.message }, "worker error"));
    return w;
  });

  let closed = false;
  let checkTimer: NodeJS.Timeout | undefined;
  const producer = createProducer({ prefix, redisUrl: opts.redisUrl });

  if (opts.schedule !== false && scheduled.length > 0) {
    await upsertSchedules(registry, producer);
    schedulesOk = true;

    // One check at a time: while Redis is away a check fails fast, and the next one retries.
    let checking: Promise<void> | null = null;
    const check = (reason: "reconnect" | "periodic") =>
      (checking ??= (async () => {
        try {
          await withTimeout(Promise.all(queueNames.map((q) => producer.queue(q).waitUntilReady())), 3_000, "Redis is not reachable");
          if (reason === "reconnect") {
            // The producer's own connection may reconnect a moment after the worker's.
            await retry(() => upsertSchedules(registry, producer), 10, 300);
            opts.log.info({ schedules: scheduled.map((e) => e.name) }, "job schedulers upserted after a Redis reconnect");
          } else {
            const missing = await missingSchedules(scheduled, producer);
            if (missing.length) {
              // Redis lost its data without our connection noticing (a flush, a failover):
              // agents' heartbeats were lost with it, so lease evaluation starts afresh too.
              resumedAt = new Date();
              await upsertSchedules(registry, producer);
              opts.log.warn({ missing }, "job schedulers were missing (Redis lost its data?); re-created them");
            }
          }
          schedulesOk = true;
        } catch (err) {
          schedulesOk = false;
          opts.log.warn({ err: (err as Error).message, reason }, "could not check the job schedulers; retrying");
        } finally {
          checking = null;
        }
      })());

    // "ready" fires on the first connect and on every reconnect after it.
    let connectedBefore = connection.status === "ready";
    connection.on("ready", () => {
      if (!connectedBefore) {
        connectedBefore = true;
        return;
      }
      resumedAt = new Date();
      if (!closed) void check("reconnect");
    });
    const every = opts.scheduleCheckMs ?? 5_000;
    checkTimer = setInterval(() => void check("periodic"), every);
    checkTimer.unref();
  }
  opts.log.info({ queues: queueNames, jobs: registry.map((e) => e.name) }, "workers started");

  return {
    workers,
    resumedAt: () => resumedAt,
    health: () => ({ redis: connection.status === "ready", schedules: schedulesOk }),
    async close() {
      closed = true;
      clearInterval(checkTimer);
      // Worker.close() waits for running jobs to finish; then the shared connections go.
      // After a Redis restart BullMQ can leave a worker's close waiting for ever (its
      // fetch of the next job is never interrupted), and a process that does not stop on
      // SIGTERM is killed mid-way by its supervisor instead. So running jobs get a grace,
      // then the workers still closing have their connections cut: a job cut off lets its
      // lock lapse and runs again (jobs are idempotent).
      const pending = new Set(workers);
      const closing = Promise.all(
        workers.map((w) =>
          w
            .close()
            .catch(() => {})
            .finally(() => pending.delete(w)),
        ),
      );
      try {
        await withTimeout(closing, opts.closeGraceMs ?? CLOSE_GRACE_MS, "workers still closing");
      } catch {
        opts.log.warn({ queues: [...pending].map((w) => w.name) }, "workers still closing after the grace; cutting their connections");
        // Not awaited: a disconnect can itself wait on the connection it is cutting.
        for (const w of pending) void w.disconnect().catch(() => {});
      }
      await producer.close();
      await withTimeout(connection.quit(), 2_000, "quit").catch(() => connection.disconnect());
    },
  };
}

async function retry<T>(fn: () => Promise<T>, attempts: number, delayMs: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

const templateOf = (entry: JobEntry) => ({
  name: entry.name,
  data: {},
  opts: {
    attempts: DEFAULT_JOB_OPTIONS.attempts,
    backoff: DEFAULT_JOB_OPTIONS.backoff,
    removeOnComplete: DEFAULT_JOB_OPTIONS.removeOnComplete,
    removeOnFail: DEFAULT_JOB_OPTIONS.removeOnFail,
  },
});

/**
 * One scheduler per scheduled job, keyed by the job name, so every replica upserts the
 * same scheduler. Schedulers of jobs no longer scheduled are removed.
 */
async function upsertSchedules(registry: JobEntry[], producer: ReturnType<typeof createProducer>) {
  const wanted = new Map(registry.filter((e) => e.schedule).map((e) => [e.name as string, e]));
  for (const entry of wanted.values()) {
    await producer.queue(queueOf(entry.name)).upsertJobScheduler(entry.name, { every: entry.schedule!.everyMs }, templateOf(entry));
  }
  for (const name of new Set(registry.map((e) => queueOf(e.name)))) {
    const q = producer.queue(name);
    for (const s of await q.getJobSchedulers()) {
      if (s.key && !wanted.has(s.key)) await q.removeJobScheduler(s.key);
    }
  }
}

/** Scheduled jobs whose scheduler is gone from Redis (one small read each). */
async function missingSchedules(scheduled: JobEntry[], producer: ReturnType<typeof createProducer>) {
  const found = await Promise.all(scheduled.map((e) => producer.queue(queueOf(e.name)).getJobScheduler(e.name)));
  return scheduled.filter((_, i) => !found[i]).map((e) => e.name);
}
