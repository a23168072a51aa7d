// The delivery plan shown before a change is saved: which of the named clusters would
// go in which wave under the tenant's default (or the given) options. The rollout
// itself plans the same way, over the clusters whose bundle actually changes.
import type { TenantContext } from "../context";
import { db } from "../db/client";
import { planWaves } from "./plan";
import { resolveOptions, type RolloutOptionsInput } from "./schema";

export async function planRollout(ctx: TenantContext, clusterNames: readonly string[], override?: RolloutOptionsInput) {
  const [tenant, clusters] = await Promise.all([
    db().tenant.findFirst({ where: { id: ctx.tenantId }, select: { settings: true } }),
    db().cluster.findMany({ where: { tenantId: ctx.tenantId, name: { in: [...clusterNames] } }, select: { id: true, name: true, labels: true } }),
  ]);
  const options = resolveOptions(((tenant?.settings ?? {}) as { rollout?: unknown }).rollout, override);
  const names = new Map(clusters.map((c) => [c.id, c.name]));
  const waves = planWaves(
    clusters.map((c) => ({ clusterId: c.id, name: c.name, labels: (c.labels ?? {}) as Record<string, string> })),
    options,
  ).map((ids) => ids.map((id) => names.get(id)!));
  return { options, waves };
}
