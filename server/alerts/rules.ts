// Alert rules: CRUD for ADMINs (a rule decides who gets paged), audited.
import { writeAudit } from "../audit/write-audit";
import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError, fieldError, isUniqueViolation } from "../platform/errors";
import { checkThreshold, type CreateRuleInput, type UpdateRuleInput } from "./schema";

const SELECT = { id: true, name: true, kind: true, threshold: true, forSeconds: true, enabled: true, createdAt: true, updatedAt: true } as const;

export async function listRules(ctx: TenantContext) {
  requireRole(ctx, "VIEWER");
  return db().alertRule.findMany({ where: { tenantId: ctx.tenantId }, select: SELECT, orderBy: { name: "asc" } });
}

export async function createRule(ctx: TenantContext, input: CreateRuleInput) {
  requireRole(ctx, "ADMIN");
  const bad = checkThreshold(input.kind, input.threshold);
  if (bad) throw fieldError("threshold", bad);
  try {
    return await db().$transaction(async (tx) => {
      const rule = await tx.alertRule.create({
        data: {
          tenantId: ctx.tenantId,
          name: input.name,
          kind: input.kind,
          threshold: input.threshold ?? null,
          forSeconds: input.forSeconds,
          enabled: input.enabled,
        },
        select: SELECT,
      });
      await writeAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "alert-rule.create",
        targetType: "alert-rule",
        targetId: rule.id,
        after: { name: rule.name, kind: rule.kind, threshold: rule.threshold, forSeconds: rule.forSeconds, enabled: rule.enabled },
      });
      return rule;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError("CONFLICT", `name: a rule named ${input.name} exists`, { fieldErrors: { name: ["already taken"] } }, { cause: err });
    throw err;
  }
}

export async function updateRule(ctx: TenantContext, input: UpdateRuleInput) {
  requireRole(ctx, "ADMIN");
  return db().$transaction(async (tx) => {
    const before = await tx.alertRule.findFirst({ where: { id: input.id, tenantId: ctx.tenantId }, select: SELECT });
    if (!before) throw new AppError("NOT_FOUND", "alert rule not found");
    const threshold = input.threshold === undefined ? before.threshold : input.threshold;
    const bad = checkThreshold(before.kind, threshold);
    if (bad) throw fieldError("threshold", bad);
    const { count } = await tx.alertRule.updateMany({
      where: { id: input.id, tenantId: ctx.tenantId },
      data: { name: input.name ?? before.name, threshold, forSeconds: input.forSeconds ?? before.forSeconds, enabled: input.enabled ?? before.enabled },
    });
    if (count !== 1) throw new AppError("NOT_FOUND", "alert rule not found");
    const after = await tx.alertRule.findFirstOrThrow({ where: { id: input.id, tenantId: ctx.tenantId }, select: SELECT });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "alert-rule.update",
      targetType: "alert-rule",
      targetId: input.id,
      before: { name: before.name, threshold: before.threshold, forSeconds: before.forSeconds, enabled: before.enabled },
      after: { name: after.name, threshold: after.threshold, forSeconds: after.forSeconds, enabled: after.enabled },
    });
    return after;
  });
}

export async function deleteRule(ctx: TenantContext, id: string) {
  requireRole(ctx, "ADMIN");
  return db().$transaction(async (tx) => {
    const before = await tx.alertRule.findFirst({ where: { id, tenantId: ctx.tenantId }, select: SELECT });
    if (!before) throw new AppError("NOT_FOUND", "alert rule not found");
    await tx.alertRule.deleteMany({ where: { id, tenantId: ctx.tenantId } });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "alert-rule.delete",
      targetType: "alert-rule",
      targetId: id,
      before: { name: before.name, kind: before.kind },
    });
    return { id };
  });
}
