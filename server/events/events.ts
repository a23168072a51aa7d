// Cluster events (availability transitions, enrolment, delivery results): what the
// console's event lists and alerts read. Written in the transaction of the change.
import type { Tx } from "../platform/db/client";

export type EventSeverity = "INFO" | "WARNING" | "CRITICAL";

export interface ClusterEvent {
  tenantId: string;
  clusterId: string | null;
  type: string;
  severity?: EventSeverity;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * Warnings an event ends: once a cluster is AVAILABLE again, its "no heartbeat" warning
 * no longer holds. They stay in the cluster's history, marked resolved, and leave the
 * overview's open warnings.
 */
const RESOLVES: Readonly<Record<string, readonly string[]>> = {
  "cluster.available": ["cluster.unknown"],
};

export async function writeEvents(tx: Tx, events: readonly ClusterEvent[]) {
  if (events.length === 0) return;
  await resolveEnded(tx, events);
  await tx.event.createMany({
    data: events.map((e) => ({
      tenantId: e.tenantId,
      clusterId: e.clusterId,
      type: e.type,
      severity: e.severity ?? "INFO",
      message: e.message,
      data: (e.data ?? undefined) as object | undefined,
    })),
  });
}

async function resolveEnded(tx: Tx, events: readonly ClusterEvent[]) {
  const byTypes = new Map<string, { types: readonly string[]; tenantIds: Set<string>; clusterIds: Set<string> }>();
  for (const e of events) {
    const types = RESOLVES[e.type];
    if (!types || !e.clusterId) continue;
    const key = types.join(",");
    const group = byTypes.get(key) ?? { types, tenantIds: new Set(), clusterIds: new Set() };
    group.tenantIds.add(e.tenantId);
    group.clusterIds.add(e.clusterId);
    byTypes.set(key, group);
  }
  const now = new Date();
  for (const g of byTypes.values()) {
    await tx.event.updateMany({
      where: { tenantId: { in: [...g.tenantIds] }, clusterId: { in: [...g.clusterIds] }, type: { in: [...g.types] }, resolvedAt: null },
      data: { resolvedAt: now },
    });
  }
}
