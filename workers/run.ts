// Starts one BullMQ Worker per queue that has registered jobs, and the job
// schedulers. Used by workers/index.ts (the process) and by integration tests.
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Logger } from "pino";
import { ZodError } from "zod";
import { KEY_PREFIX } from "../server/redis";
import { createProducer, DEFAULT_JOB_OPTIONS, isJobName, parsePayload, queueOf, workerConnection, type QueueConfig } from "../server/queues";
import { registry as defaultRegistry, type JobEntry } from "./registry";

export interface StartOptions extends QueueConfig {
  log: Logger;
  registry?: JobEntry[];
  /** Jobs run at once per queue (per process). */
  concurrency?: number;
  /** Create or update the job schedulers of scheduled entries (default true). */
  schedule?: boolean;
}

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

export async function startWorkers(opts: StartOptions): Promise<RunningWorkers> {
  const registry = opts.registry ?? defaultRegistry;
  const prefix = opts.prefix ?? KEY_PREFIX;
  const byName = new Map(registry.map((e) => [e.name, e]));
  const connection = workerConnection(opts.redisUrl);
  connection.on("error", (err) => opts.log.warn({ err: err.message }, "redis connection error"));

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
    const result = await entry.handler(payload as never, { job, log });
    // Scheduled jobs run every few seconds; their successes would drown the log.
    const done = { ms: Math.round(performance.now() - started), result };
    if (entry.schedule) log.debug(done, "job done");
    else log.info(done, "job done");
    return result;
  };

  const queueNames = [...new Set(registry.map((e) => queueOf(e.name)))];
  const workers = queueNames.map((name) => {
    const w = new Worker(name, processJob, { connection, prefix, concurrency: opts.concurrency ?? 4 });
    w.on("failed", (job, err) => opts.log.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, "job failed"));
    w.on("error", (err) => opts.log.error({ queue: name, err: err.message }, "worker error"));
    return w;
  });

  if (opts.schedule !== false) await upsertSchedules(registry, opts);
  opts.log.info({ queues: queueNames, jobs: registry.map((e) => e.name) }, "workers started");

  return {
    workers,
    async close() {
      // Worker.close() waits for running jobs to finish; then the shared connection goes.
      await Promise.all(workers.map((w) => w.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

/**
 * One scheduler per scheduled job, keyed by the job name, so every replica upserts the
 * same scheduler. Schedulers of jobs no longer scheduled are removed.
 */
async function upsertSchedules(registry: JobEntry[], opts: StartOptions) {
  const producer = createProducer({ prefix: opts.prefix, redisUrl: opts.redisUrl });
  try {
    const wanted = new Map(registry.filter((e) => e.schedule).map((e) => [e.name as string, e]));
    for (const entry of wanted.values()) {
      await producer.queue(queueOf(entry.name)).upsertJobScheduler(
        entry.name,
        { every: entry.schedule!.everyMs },
        { name: entry.name, data: {}, opts: { attempts: DEFAULT_JOB_OPTIONS.attempts, backoff: DEFAULT_JOB_OPTIONS.backoff, removeOnComplete: DEFAULT_JOB_OPTIONS.removeOnComplete, removeOnFail: DEFAULT_JOB_OPTIONS.removeOnFail } },
      );
    }
    for (const name of new Set(registry.map((e) => queueOf(e.name)))) {
      const q = producer.queue(name);
      for (const s of await q.getJobSchedulers()) {
        if (s.key && !wanted.has(s.key)) await q.removeJobScheduler(s.key);
      }
    }
  } finally {
    await producer.close();
  }
}
