// Reading rollouts: the list (newest first, with counts of target states) and one
// rollout with every target's state, reason and evidence (never the bundles).
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { pageArgs, pageOf } from "../platform/pagination";
import type { ListRolloutsInput } from "./schema";

const ROLLOUT_FIELDS = {
  id: true,
  status: true,
  strategy: true,
  options: true,
  reason: true,
  actorType: true,
  actorLabel: true,
  waveCount: true,
  currentWave: true,
  deadlineAt: true,
  soakUntil: true,
  blockedById: true,
  failure: true,
  evidence: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

type Counts = Record<string, number>;

/** "done, 2 pending (offline)": the one-line outcome the console and API show. */
export function describeOutcome(status: string, counts: Counts): string {
  const offline = counts.OFFLINE_PENDING ?? 0;
  const base = status.toLowerCase().replace("_", " ");
  return offline > 0 ? `${base}, ${offline} pending (offline)` : base;
}

export async function listRollouts(ctx: TenantContext, input: ListRolloutsInput) {
  const rows = await db().rollout.findMany({
    where: {
      tenantId: ctx.tenantId,
      ...(input.status ? { status: input.status } : {}),
      ...(input.clusterId ? { targets: { some: { tenantId: ctx.tenantId, clusterId: input.clusterId } } } : {}),
    },
    select: ROLLOUT_FIELDS,
    orderBy: { seq: "desc" },
    ...pageArgs(input),
  });
  const { items: page, nextCursor } = pageOf(rows, input.limit);
  const grouped = await db().rolloutTarget.groupBy({
    by: ["rolloutId", "state"],
    where: { tenantId: ctx.tenantId, rolloutId: { in: page.map((r) => r.id) } },
    _count: { _all: true },
  });
  const counts = new Map<string, Counts>();
  for (const g of grouped) counts.set(g.rolloutId, { ...(counts.get(g.rolloutId) ?? {}), [g.state]: g._count._all });
  return {
    items: page.map((r) => ({ ...r, counts: counts.get(r.id) ?? {}, outcome: describeOutcome(r.status, counts.get(r.id) ?? {}) })),
    nextCursor,
  };
}

export async function getRollout(ctx: TenantContext, id: string) {
  const r = await db().rollout.findFirst({ where: { id, tenantId: ctx.tenantId }, select: ROLLOUT_FIELDS });
  if (!r) throw new AppError("NOT_FOUND", "rollout not found");
  const targets = await db().rolloutTarget.findMany({
    where: { rolloutId: id, tenantId: ctx.tenantId },
    select: {
      clusterId: true,
      clusterName: true,
      wave: true,
      state: true,
      fromRevision: true,
      toRevision: true,
      rollbackRevision: true,
      hash: true,
      diff: true,
      reason: true,
      evidence: true,
      publishedAt: true,
      ackedAt: true,
    },
    orderBy: [{ wave: "asc" }, { clusterName: "asc" }],
  });
  const counts: Counts = {};
  for (const t of targets) counts[t.state] = (counts[t.state] ?? 0) + 1;
  return { ...r, counts, outcome: describeOutcome(r.status, counts), targets };
}
