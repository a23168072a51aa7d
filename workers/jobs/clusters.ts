// Cluster jobs of the worker process: lease evaluation, and the flush that writes
// heartbeat hot state from Redis to Postgres every second (kept out of the agent API,
// whose event loop answers the heartbeats). An agent API run with AGENT_API_FLUSH_MS
// flushes too; SPOP splits the dirty set, so both at once is harmless.
import { evaluateLeases } from "../../server/clusters/evaluate-leases";
import { flushClusterState } from "../../server/clusters/flush-cluster-state";

export interface ClusterJob {
  name: "clusters.evaluate-leases" | "clusters.flush";
  handler: () => Promise<unknown>;
  everyMs: number;
}

export const clusterJobs: ClusterJob[] = [
  {
    name: "clusters.evaluate-leases",
    handler: async () => {
      const res = await evaluateLeases(new Date());
      return { checked: res.checked, unknown: res.unknown.length };
    },
    everyMs: 5_000,
  },
  { name: "clusters.flush", handler: () => flushClusterState(), everyMs: 1_000 },
];
