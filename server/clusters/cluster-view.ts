// The allow-list of cluster fields the console and REST see, and the live merge of
// Redis hot state (a heartbeat is in Redis up to a flush interval before Postgres).
import type { Prisma } from "../platform/db/generated/client";
import { asLabels } from "../platform/labels";

export const CLUSTER_LIST_SELECT = {
  id: true,
  name: true,
  uid: true,
  siteType: true,
  availability: true,
  lastSeenAt: true,
  labels: true,
  desiredRevision: true,
  appliedRevision: true,
  provider: true,
  region: true,
  latitude: true,
  longitude: true,
  kubernetesVersion: true,
  cni: true,
  nodeCount: true,
  agentVersion: true,
  behindNat: true,
  leaseDurationSeconds: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.ClusterSelect;

type ListRow = Prisma.ClusterGetPayload<{ select: typeof CLUSTER_LIST_SELECT }>;

/** Fresher of the two last-seen times. */
export function freshest(pg: Date | null, hotMs: number | undefined): Date | null {
  if (hotMs === undefined) return pg;
  return !pg || hotMs > pg.getTime() ? new Date(hotMs) : pg;
}

export function toListItem(row: ListRow, hotLastSeenMs?: number) {
  return { ...row, labels: asLabels(row.labels), lastSeenAt: freshest(row.lastSeenAt, hotLastSeenMs), converged: row.appliedRevision >= row.desiredRevision };
}
