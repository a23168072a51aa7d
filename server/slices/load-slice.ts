import type { Tx } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { QOS_PROFILE_VALUES } from "../bundles/effective-qos";
import { ZSliceSpec, type SliceSpec } from "./schema";

export const SLICE_FIELDS = {
  id: true,
  name: true,
  description: true,
  subnet: true,
  maxClusters: true,
  gatewayType: true,
  gatewayService: true,
  topology: true,
  qos: true,
  qosProfile: { select: QOS_PROFILE_VALUES },
  namespaceIsolation: true,
  serviceExports: true,
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** A slice of this tenant with its members (ordered by share index), or NOT_FOUND. */
export async function loadSlice(tx: Tx, tenantId: string, id: string) {
  const slice = await tx.slice.findFirst({
    where: { id, tenantId },
    select: {
      ...SLICE_FIELDS,
      members: { where: { tenantId }, select: { clusterId: true, index: true, subnet: true, cluster: { select: { name: true } } }, orderBy: { index: "asc" } },
    },
  });
  if (!slice) throw new AppError("NOT_FOUND", "slice not found");
  return slice;
}

export type LoadedSlice = Awaited<ReturnType<typeof loadSlice>>;

/** The stored slice as a spec (the shape users write and KubeSlice import produces). */
export function specOf(slice: LoadedSlice): SliceSpec {
  return ZSliceSpec.parse({
    name: slice.name,
    ...(slice.description ? { description: slice.description } : {}),
    subnet: slice.subnet,
    maxClusters: slice.maxClusters,
    gatewayType: slice.gatewayType,
    gatewayService: slice.gatewayService,
    topology: slice.topology,
    ...(slice.qos && Object.keys(slice.qos).length ? { qos: slice.qos } : {}),
    ...(slice.qosProfile ? { qosProfile: slice.qosProfile.name } : {}),
    namespaceIsolation: slice.namespaceIsolation,
    serviceExports: slice.serviceExports,
    members: slice.members.map((m) => m.cluster.name),
  });
}
