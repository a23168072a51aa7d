import { router, tenantProcedure } from "../trpc/trpc";
import { getFleetOverview } from "./get-fleet-overview";
import { ZFleetOverview } from "./schema";

export const overviewRouter = router({
  fleet: tenantProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/overview",
        tags: ["overview"],
        summary: "Fleet at a glance: clusters per site type and availability, slices converged, recent warnings",
      },
    })
    .output(ZFleetOverview)
    .query(({ ctx }) => getFleetOverview(ctx.tenant)),
});
