import { z } from "zod";
import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { assertKnownCursor, pageArgs, pageOf } from "../platform/pagination";
import { parseInput } from "../platform/validation";
import { withTargetNames } from "./target-names";

// PostgreSQL's timestamps start at 4713 BC; JavaScript dates go back to 271821 BC.
const ZAuditTime = z.coerce
  .date()
  .min(new Date("1970-01-01T00:00:00Z"), "must be 1970 or later")
  .max(new Date("9999-12-31T23:59:59Z"), "must be before the year 10000");

export const ZListAuditInput = z.object({
  action: z.string().max(100).optional(),
  actorType: z.enum(["USER", "API_TOKEN", "AGENT", "SYSTEM"]).optional(),
  targetType: z.string().max(100).optional(),
  actor: z.string().max(254).optional(),
  since: ZAuditTime.optional(),
  until: ZAuditTime.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(64).optional(),
});
export type ListAuditInput = z.input<typeof ZListAuditInput>;

/** Newest first, cursor-paginated, filterable by action prefix, actor and target type; each row names its target. */
export async function listAudit(ctx: TenantContext, input: ListAuditInput) {
  requireRole(ctx, "ADMIN");
  const f = parseInput(ZListAuditInput, input);
  await assertKnownCursor(f.cursor, (id) => db().auditLog.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { id: true } }));
  const rows = await db().auditLog.findMany({
    where: {
      tenantId: ctx.tenantId,
      ...(f.action ? { action: { startsWith: f.action } } : {}),
      ...(f.actorType ? { actorType: f.actorType } : {}),
      ...(f.targetType ? { targetType: f.targetType } : {}),
      ...(f.actor ? { actorLabel: { contains: f.actor, mode: "insensitive" as const } } : {}),
      ...(f.since || f.until ? { createdAt: { ...(f.since ? { gte: f.since } : {}), ...(f.until ? { lt: f.until } : {}) } } : {}),
    },
    select: {
      id: true,
      actorType: true,
      actorId: true,
      actorLabel: true,
      action: true,
      targetType: true,
      targetId: true,
      diff: true,
      sourceIp: true,
      createdAt: true,
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...pageArgs(f),
  });
  const page = pageOf(rows, f.limit);
  return { ...page, items: await withTargetNames(db(), ctx.tenantId, page.items) };
}
