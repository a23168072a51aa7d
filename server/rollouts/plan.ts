// Which target goes in which wave. Pure: the same targets and options always give the
// same plan, so the console's preview and the rollout agree.
import type { RolloutOptions } from "./schema";

export const CANARY_LABEL = "isthmus.io/canary";

export interface PlanTarget {
  clusterId: string;
  name: string;
  labels: Record<string, string>;
}

/**
 * ALL_AT_ONCE: one wave. WAVES: the canary wave first — the clusters labelled
 * isthmus.io/canary=true, or when none is, the first `canary` % by name (at least one)
 * — then the rest by name in batches of `batchSize` (default: four batches).
 */
export function planWaves(targets: readonly PlanTarget[], opts: Pick<RolloutOptions, "strategy" | "canary" | "batchSize">): string[][] {
  const sorted = [...targets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (sorted.length === 0) return [];
  if (opts.strategy === "ALL_AT_ONCE") return [sorted.map((t) => t.clusterId)];
  const labelled = sorted.filter((t) => t.labels[CANARY_LABEL] === "true");
  let canary: PlanTarget[];
  if (labelled.length > 0) canary = labelled;
  else if (opts.canary > 0) canary = sorted.slice(0, Math.max(1, Math.floor((sorted.length * opts.canary) / 100)));
  else canary = [];
  const inCanary = new Set(canary.map((t) => t.clusterId));
  const rest = sorted.filter((t) => !inCanary.has(t.clusterId));
  const size = opts.batchSize ?? Math.max(1, Math.ceil(rest.length / 4));
  const waves: string[][] = canary.length ? [canary.map((t) => t.clusterId)] : [];
  for (let i = 0; i < rest.length; i += size) waves.push(rest.slice(i, i + size).map((t) => t.clusterId));
  return waves;
}
