import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { fieldErrorsOf } from "../platform/zod-issues";
import { effectiveRanges } from "./ipam/conflicts";
import { suggestSubnet } from "./ipam/suggest";
import { planSlice } from "./plan-slice";
import { ZSliceSpec } from "./schema";

/**
 * What saving this spec would do — shares, links with roles and tunnel addresses,
 * warnings and every problem by field — without writing anything. The wizard calls it
 * on each edit.
 */
export async function previewSlice(ctx: TenantContext, input: { id?: string; spec: unknown }) {
  requireRole(ctx, "VIEWER");
  const parsed = ZSliceSpec.safeParse(input.spec);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error.issues, "spec");
    return { members: [], links: [], warnings: [], qosProfileId: null, qos: null, fieldErrors };
  }
  if (input.id) {
    const exists = await db().slice.findFirst({ where: { id: input.id, tenantId: ctx.tenantId }, select: { id: true } });
    if (!exists) throw new AppError("NOT_FOUND", "slice not found");
  }
  return planSlice(db(), ctx.tenantId, input.id ?? "slc_preview", parsed.data);
}

/** A private subnet that overlaps no slice of this tenant and no cluster's pod or service range. */
export async function suggestSliceSubnet(ctx: TenantContext, prefix = 16) {
  requireRole(ctx, "VIEWER");
  const slices = await db().slice.findMany({ where: { tenantId: ctx.tenantId }, select: { subnet: true } });
  const clusters = await db().cluster.findMany({
    where: { tenantId: ctx.tenantId },
    select: { podCidrs: true, serviceCidrs: true, manualPodCidrs: true, manualServiceCidrs: true },
  });
  const taken = [
    ...slices.map((s) => s.subnet),
    ...clusters
      .flatMap((c) => [...effectiveRanges(c.manualPodCidrs, c.podCidrs), ...effectiveRanges(c.manualServiceCidrs, c.serviceCidrs)])
      .filter((c) => !c.includes(":")),
  ];
  const subnet = suggestSubnet(taken, prefix);
  if (!subnet) throw new AppError("CONFLICT", `prefix: no free private /${prefix} is left`, { fieldErrors: { prefix: ["no free subnet of this size"] } });
  return { subnet };
}
