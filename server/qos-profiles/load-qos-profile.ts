import type { Tx } from "../platform/db/client";
import { AppError } from "../platform/errors";
import type { DscpClass } from "../bundles/qos-rules";
import { QOS_PROFILE_SELECT } from "./schema";

/** A profile with the slices of its tenant that use it, by name. */
export const profileSelect = (tenantId: string) =>
  ({ ...QOS_PROFILE_SELECT, slices: { where: { tenantId }, select: { id: true, name: true }, orderBy: { name: "asc" } } }) as const;

type Row = { dscpClass: string } & Record<string, unknown>;

/** As the API shows it (dscpClass is stored as text, and only ever written validated). */
export function profileView<R extends Row>(row: R) {
  return { ...row, dscpClass: row.dscpClass as DscpClass };
}

/** A QoS profile of this tenant with the slices using it, or NOT_FOUND. */
export async function loadQosProfile(tx: Tx, tenantId: string, id: string) {
  const row = await tx.qosProfile.findFirst({ where: { id, tenantId }, select: profileSelect(tenantId) });
  if (!row) throw new AppError("NOT_FOUND", "QoS profile not found");
  return profileView(row);
}
