// What a mutation that changed bundles answers about its rollout: its id, where it
// stands right after the request's own delivery, and what it waits behind if queued.
import { rolloutIdOf, type OutboxRow } from "./outbox";
import { db } from "../platform/db/client";
import type { RolloutSummary } from "./schema";

export async function rolloutSummary(tenantId: string, rows: readonly OutboxRow[]): Promise<RolloutSummary> {
  const id = rolloutIdOf(rows);
  if (!id) return null;
  const r = await db().rollout.findFirst({ where: { id, tenantId }, select: { id: true, status: true, strategy: true, blockedById: true, waveCount: true } });
  return r ? { id: r.id, status: r.status, strategy: r.strategy, queuedBehind: r.status === "QUEUED" ? r.blockedById : null, waveCount: r.waveCount } : null;
}
