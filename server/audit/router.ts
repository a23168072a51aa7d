import { z } from "zod";
import { router, tenantProcedure } from "../trpc/trpc";
import { listAudit, ZListAuditInput } from "./list-audit";

const ZAuditRow = z.object({
  id: z.string(),
  actorType: z.enum(["USER", "API_TOKEN", "AGENT", "SYSTEM"]),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  diff: z.unknown(),
  sourceIp: z.string().nullable(),
  createdAt: z.date(),
});

export const auditRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/audit", tags: ["audit"], summary: "Audit log, newest first; filter by action prefix, actor, target type and time" } })
    .input(ZListAuditInput)
    .output(z.object({ items: z.array(ZAuditRow), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listAudit(ctx.tenant, input)),
});
