// Every cluster's first heartbeat, before the measured steps (bench/agents.ts).
import type { Fleet } from "../lib/fleet";
import { sleep } from "./format";

/**
 * Every cluster's first heartbeat, paced at 2,000/s, then rounds of heartbeats until
 * PostgreSQL has every cluster AVAILABLE (at most 120 s): the workers' flush wrote each
 * first heartbeat. Each round is one pass over the fleet and a second more, so no
 * cluster is missed, and clusters keep heartbeating while the run waits (a fleet left
 * silent for three leases is, rightly, UNKNOWN again).
 */
export async function settleFirstHeartbeats(fleet: Fleet, n: number): Promise<{ sentMs: number; ms: number; available: number }> {
  const rate = 2000;
  const roundMs = Math.ceil((n / rate) * 1000) + 1000;
  const { db } = await import("../../server/platform/db/client");
  const t0 = performance.now();
  let sentMs = 0;
  let available = 0;
  while (performance.now() - t0 < 120_000) {
    await fleet.runHeartbeats({ mode: "paced", rate }, 0, roundMs, 30_000);
    sentMs ||= performance.now() - t0;
    const until = performance.now() + 5_000;
    while (performance.now() < until) {
      available = await db().cluster.count({ where: { availability: "AVAILABLE" } });
      if (available >= n) return { sentMs, ms: performance.now() - t0, available };
      await sleep(250);
    }
  }
  return { sentMs, ms: performance.now() - t0, available };
}
