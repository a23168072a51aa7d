// Alert jobs: rule evaluation on a schedule, and one job per webhook delivery (retried
// with the default exponential backoff of server/platform/queues.ts).
import { deliverWebhook } from "../../server/alerts/deliver-webhook";
import { evaluateAlerts } from "../../server/alerts/evaluate-alerts";
import type { JobContext } from "../registry";

export const evaluateAlertsJob = () => evaluateAlerts();

export const deliverWebhookJob = (p: { deliveryId: string }, ctx: JobContext) =>
  deliverWebhook(p.deliveryId, { lastAttempt: ctx.job.attemptsMade + 1 >= (ctx.job.opts.attempts ?? 1) });
