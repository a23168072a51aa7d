// Every background job the worker process runs. To add one: declare its name and
// payload in server/platform/queues.ts (JOBS), then add one entry here. An entry with a
// schedule is also produced by a BullMQ job scheduler (one per job name, shared by
// all worker replicas, so the job runs once per interval however many run); its
// interval is declared in server/platform/queues.ts (SCHEDULES) so health can check it.
import type { Job } from "bullmq";
import type { Logger } from "pino";
import { SCHEDULES, type JobName, type JobPayload } from "../server/platform/queues";
import { deliverWebhookJob, evaluateAlertsJob } from "./jobs/alerts";
import { clusterJobs } from "./jobs/clusters";
import { gatewayJobs } from "./jobs/gateways";
import { drainOutboxJob } from "./jobs/outbox";
import { advanceRolloutJob, reconcileRolloutsJob } from "./jobs/rollouts";
import { cleanupExpired } from "./maintenance/cleanup";

export interface JobContext {
  job: Job;
  log: Logger;
  /** Since when this worker process has had Redis without interruption (see RunningWorkers.resumedAt). */
  resumedAt: Date;
}

export interface JobEntry<N extends JobName = JobName> {
  name: N;
  handler: (payload: JobPayload<N>, ctx: JobContext) => Promise<unknown>;
  /** Run on a fixed interval (milliseconds). */
  schedule?: { everyMs: number };
}

const entry = <N extends JobName>(e: JobEntry<N>) => e as unknown as JobEntry;

export const registry: JobEntry[] = [
  entry({ name: "maintenance.cleanup", handler: (p) => cleanupExpired(p), schedule: { everyMs: SCHEDULES["maintenance.cleanup"] } }),
  entry({ name: "config.drain-outbox", handler: (p) => drainOutboxJob(p), schedule: { everyMs: SCHEDULES["config.drain-outbox"] } }),
  entry({ name: "rollouts.advance", handler: (p) => advanceRolloutJob(p) }),
  entry({ name: "rollouts.reconcile", handler: () => reconcileRolloutsJob(), schedule: { everyMs: SCHEDULES["rollouts.reconcile"] } }),
  ...clusterJobs.map((j) => entry({ name: j.name, handler: (_p, ctx) => j.handler(ctx), schedule: { everyMs: SCHEDULES[j.name] } })),
  entry({ name: "alerts.evaluate", handler: () => evaluateAlertsJob(), schedule: { everyMs: SCHEDULES["alerts.evaluate"] } }),
  entry({ name: "alerts.deliver-webhook", handler: (p, ctx) => deliverWebhookJob(p, ctx) }),
  ...gatewayJobs.map((j) => entry({ name: j.name, handler: (_p, ctx) => j.handler({ prefix: ctx.job.prefix }), schedule: { everyMs: SCHEDULES[j.name] } })),
];
