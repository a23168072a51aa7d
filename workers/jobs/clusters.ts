// Cluster jobs of the worker process: lease evaluation, and the flush that writes
// heartbeat hot state from Redis to Postgres (kept out of the agent API, whose event
// loop answers the heartbeats). An agent API run with AGENT_API_FLUSH_MS flushes too;
// SPOP splits the dirty set, so both at once is harmless.
//
// The flush runs every 250 ms rather than every second: with 10,000 clusters about 800
// are marked a second, and one flush of all of them was a burst of ~50-90 ms of CPU in
// this process and more in Postgres, during which the agent API, on the same cores,
// fell behind on heartbeats. A quarter of that, four times as often, is the same work
// in smaller pieces. Intervals are in server/platform/queues.ts (SCHEDULES).
import { evaluateLeases } from "../../server/clusters/evaluate-leases";
import { flushClusterState } from "../../server/clusters/flush-cluster-state";

export interface ClusterJob {
  name: "clusters.evaluate-leases" | "clusters.flush";
  handler: (ctx: { resumedAt: Date }) => Promise<unknown>;
}

export const clusterJobs: ClusterJob[] = [
  {
    name: "clusters.evaluate-leases",
    // After the workers or Redis come back, agents get one lease to reconnect before
    // any cluster is marked: their heartbeats could not arrive while we were away.
    handler: async ({ resumedAt }) => {
      const res = await evaluateLeases(new Date(), { graceSince: resumedAt });
      return { checked: res.checked, unknown: res.unknown.length, inGrace: res.inGrace };
    },
  },
  { name: "clusters.flush", handler: () => flushClusterState() },
];
