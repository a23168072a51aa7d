// Gateway history jobs: the minute flush (Redis buckets → 1-minute rollups), the hour
// rollup and partition upkeep. Intervals are in server/platform/queues.ts (SCHEDULES). The flush
// reads only the buckets under its worker's queue prefix: another deployment sharing the
// Redis keeps its own.
import { evaluateLinks } from "../../server/gateways/evaluate-links";
import { flushMinutes } from "../../server/gateways/flush-minutes";
import { maintainPartitions } from "../../server/gateways/partitions";
import { rollupHours } from "../../server/gateways/rollup-hours";

export interface GatewayJob {
  name: "gateways.flush-minutes" | "gateways.rollup-hours" | "gateways.maintain-partitions" | "gateways.evaluate-links";
  /** prefix: the worker's queue prefix, the deployment's key prefix in Redis. */
  handler: (ctx: { prefix: string }) => Promise<unknown>;
}

export const gatewayJobs: GatewayJob[] = [
  { name: "gateways.flush-minutes", handler: ({ prefix }) => flushMinutes({ prefix }) },
  { name: "gateways.rollup-hours", handler: () => rollupHours() },
  { name: "gateways.maintain-partitions", handler: () => maintainPartitions() },
  { name: "gateways.evaluate-links", handler: () => evaluateLinks() },
];
