// Inside the transaction that changes clusters' bundles: the Rollout that will deliver
// the change, with one PENDING target per affected cluster. Committed with the change,
// so a process dying right after the commit loses nothing: the outbox row (or the
// reconciler) starts the rollout from Postgres.
import type { Actor } from "../platform/context";
import type { Tx } from "../platform/db/client";
import { resolveOptions, type RolloutOptionsInput } from "./schema";

export interface RecordRolloutOptions {
  rollout?: RolloutOptionsInput;
  actor?: Actor;
}

export async function recordRollout(tx: Tx, tenantId: string, clusterIds: readonly string[], reason: string, opts: RecordRolloutOptions = {}) {
  const clusters = await tx.cluster.findMany({ where: { tenantId, id: { in: [...clusterIds] } }, select: { id: true, name: true } });
  if (clusters.length === 0) return null;
  const tenant = await tx.tenant.findFirst({ where: { id: tenantId }, select: { settings: true } });
  const settings = (tenant?.settings ?? {}) as { rollout?: unknown };
  const options = resolveOptions(settings.rollout, opts.rollout);
  const actor = opts.actor ?? { type: "SYSTEM" as const, label: "system" };
  const rollout = await tx.rollout.create({
    data: {
      tenantId,
      strategy: options.strategy,
      options: options as object,
      reason: reason.slice(0, 200),
      actorType: actor.type,
      actorId: actor.id ?? null,
      actorLabel: actor.label.slice(0, 200),
    },
    select: { id: true },
  });
  await tx.rolloutTarget.createMany({ data: clusters.map((c) => ({ tenantId, rolloutId: rollout.id, clusterId: c.id, clusterName: c.name })) });
  return rollout.id;
}
