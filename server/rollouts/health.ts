// A target's health, read from the heartbeat hot state in Redis (no Postgres write per
// heartbeat, so this is where the latest report lives): whether the agent is heard from,
// its components, and the gateway links it is an end of. Taken just before a target's
// change and compared during the soak window: anything that got worse stops the rollout.
import { readHotState } from "../hot-state/hot-state";

export interface HealthSnapshot {
  /** False when Redis holds no report at all (never heard from, or Redis lost its data). */
  known?: boolean;
  online: boolean;
  /** Component name → status (OK, DEGRADED, FAILED, UNKNOWN). */
  components: Record<string, string>;
  /** Link id → tunnel status as this end reports it (UP, DOWN, DEGRADED, UNKNOWN). */
  links: Record<string, string>;
}

/** Silence for three leases makes a cluster UNKNOWN (the lease model): not online. */
export const isOnline = (lastSeenMs: number | undefined, leaseSeconds: number, now = Date.now()) =>
  lastSeenMs !== undefined && now - lastSeenMs <= 3 * leaseSeconds * 1000;

export async function readHealth(clusterIds: readonly string[], leaseSeconds: Map<string, number>, now = Date.now()): Promise<Map<string, HealthSnapshot>> {
  const out = new Map<string, HealthSnapshot>();
  // One hash read per cluster; a wave is at most a few hundred clusters.
  const states = await Promise.all(clusterIds.map((id) => readHotState(id)));
  clusterIds.forEach((id, i) => {
    const s = states[i];
    out.set(id, {
      known: s !== null,
      online: isOnline(s?.lastSeenAt.getTime(), leaseSeconds.get(id) ?? 15, now),
      components: Object.fromEntries((s?.components ?? []).map((c) => [c.name, c.status])),
      links: Object.fromEntries((s?.gateways ?? []).map((g) => [g.linkId, g.status])),
    });
  });
  return out;
}

// Worse means broken, not wobbling: a component FAILED, a link DOWN, an agent gone
// silent. DEGRADED (a loss or latency threshold crossed for a moment) is everyday noise
// on real networks and would stop rollouts that changed nothing about it.
const BROKEN_COMPONENT = new Set(["FAILED"]);
const BROKEN_LINK = new Set(["DOWN"]);

/** What got worse from `before` to `now`, one line each; empty when nothing did. */
export function healthRegressions(before: HealthSnapshot, now: HealthSnapshot): string[] {
  const worse: string[] = [];
  // No report now is no evidence (Redis restarted empty): the next pass looks again.
  if (now.known === false) return worse;
  if (before.online && !now.online) worse.push("agent stopped reporting (no heartbeat for 3 leases)");
  for (const [name, status] of Object.entries(now.components)) {
    const was = before.components[name];
    if (BROKEN_COMPONENT.has(status) && !(was !== undefined && BROKEN_COMPONENT.has(was))) worse.push(`component ${name}: ${was ?? "absent"} → ${status}`);
  }
  for (const [linkId, status] of Object.entries(now.links)) {
    const was = before.links[linkId];
    if (was !== undefined && !BROKEN_LINK.has(was) && BROKEN_LINK.has(status)) worse.push(`link ${linkId}: ${was} → ${status}`);
  }
  return worse;
}
