// Cluster events (availability transitions, enrolment, delivery results): what the
// console's event lists and alerts read. Written in the transaction of the change.
import type { Tx } from "../db/client";

export type EventSeverity = "INFO" | "WARNING" | "CRITICAL";

export interface ClusterEvent {
  tenantId: string;
  clusterId: string | null;
  type: string;
  severity?: EventSeverity;
  message: string;
  data?: Record<string, unknown>;
}

export async function writeEvents(tx: Tx, events: readonly ClusterEvent[]) {
  if (events.length === 0) return;
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
