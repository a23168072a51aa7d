// Cluster jobs of the worker process. Lease evaluation runs here only; the flush also
// runs every second inside each agent API process, so this one is the backstop that
// writes hot state when no agent API process is flushing (SPOP splits the work, so
// both running at once is harmless).
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
  { name: "clusters.flush", handler: () => flushClusterState(), everyMs: 5_000 },
];
