import { router, tenantProcedure } from "../trpc/trpc";
import { listAudit, ZListAuditInput } from "./list-audit";
import { ZAuditPage } from "./schema";

export const auditRouter = router({
  list: tenantProcedure
    .meta({
      openapi: { method: "GET", path: "/audit", tags: ["audit"], summary: "Audit log, newest first; filter by action prefix, actor, target type and time" },
    })
    .input(ZListAuditInput)
    .output(ZAuditPage)
    .query(({ ctx, input }) => listAudit(ctx.tenant, input)),
});
