// A link's history for a chart (REST /gateways/{id}/series and the console's link page).
import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { AppError } from "../platform/errors";
import type { SeriesInput } from "./schema";
import { readLinkSeries } from "./series";

const MAX_RANGE_MS = 400 * 86_400_000;

export async function getLinkSeries(ctx: TenantContext, input: SeriesInput) {
  requireRole(ctx, "VIEWER");
  const from = new Date(input.from);
  const to = input.to ? new Date(input.to) : new Date();
  if (!(from < to)) throw new AppError("BAD_REQUEST", "from: must be before to", { fieldErrors: { from: ["must be before to"] } });
  if (to.getTime() - from.getTime() > MAX_RANGE_MS)
    throw new AppError("BAD_REQUEST", "from: the range may span at most 400 days", { fieldErrors: { from: ["the range may span at most 400 days"] } });
  return readLinkSeries({ tenantId: ctx.tenantId, linkId: input.id, from, to, stepMs: input.step ? input.step * 1000 : undefined });
}
