// Gateway history jobs: the minute flush (Redis buckets → 1-minute rollups), the hour
// rollup and partition upkeep. Intervals are in server/queues.ts (SCHEDULES).
import { evaluateLinks } from "../../server/gateways/evaluate-links";
import { flushMinutes } from "../../server/gateways/flush-minutes";
import { maintainPartitions } from "../../server/gateways/partitions";
import { rollupHours } from "../../server/gateways/rollup-hours";

export interface GatewayJob {
  name: "gateways.flush-minutes" | "gateways.rollup-hours" | "gateways.maintain-partitions" | "gateways.evaluate-links";
  handler: () => Promise<unknown>;
}

export const gatewayJobs: GatewayJob[] = [
  { name: "gateways.flush-minutes", handler: () => flushMinutes() },
  { name: "gateways.rollup-hours", handler: () => rollupHours() },
  { name: "gateways.maintain-partitions", handler: () => maintainPartitions() },
  { name: "gateways.evaluate-links", handler: () => evaluateLinks() },
];
