// Alerts as people see them: newest first, and acknowledged by an OPERATOR (audited).
import { writeAudit } from "../audit/write-audit";
import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { pageArgs, pageOf } from "../platform/pagination";
import type { ListAlertsInput } from "./schema";

const SELECT = {
  id: true,
  ruleId: true,
  rule: { select: { name: true, kind: true } },
  subjectType: true,
  subjectId: true,
  subjectName: true,
  state: true,
  message: true,
  evidence: true,
  openedAt: true,
  acknowledgedAt: true,
  acknowledgedBy: true,
  resolvedAt: true,
} as const;

const view = <T extends { rule: { name: string; kind: K } }, K extends string>(a: T) => {
  const { rule, ...rest } = a;
  return { ...rest, ruleName: rule.name, ruleKind: rule.kind };
};

export async function listAlerts(ctx: TenantContext, input: ListAlertsInput) {
  requireRole(ctx, "VIEWER");
  const rows = await db().alert.findMany({
    where: { tenantId: ctx.tenantId, ...(input.state ? { state: input.state } : {}) },
    select: SELECT,
    orderBy: [{ openedAt: "desc" }, { id: "desc" }],
    ...pageArgs(input),
  });
  const page = pageOf(rows, input.limit);
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

export async function acknowledgeAlert(ctx: TenantContext, id: string) {
  requireRole(ctx, "OPERATOR");
  return db().$transaction(async (tx) => {
    const a = await tx.alert.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { state: true } });
    if (!a) throw new AppError("NOT_FOUND", "alert not found");
    if (a.state !== "OPEN")
      throw new AppError("CONFLICT", `state: only an OPEN alert can be acknowledged (it is ${a.state})`, { fieldErrors: { state: [`is ${a.state}`] } });
    await tx.alert.updateMany({
      where: { id, tenantId: ctx.tenantId, state: "OPEN" },
      data: { state: "ACKNOWLEDGED", acknowledgedAt: new Date(), acknowledgedBy: ctx.actor.label },
    });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "alert.acknowledge",
      targetType: "alert",
      targetId: id,
      before: { state: "OPEN" },
      after: { state: "ACKNOWLEDGED" },
    });
    return view(await tx.alert.findFirstOrThrow({ where: { id, tenantId: ctx.tenantId }, select: SELECT }));
  });
}
