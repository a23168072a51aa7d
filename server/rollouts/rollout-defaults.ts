// The tenant's default rollout options (Tenant.settings.rollout): what a change gets
// when it names none. A change's own `rollout` options go over them field by field.
import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { parseInput } from "../platform/validation";
import { resolveOptions, ZRolloutOptionsInput, type RolloutOptionsInput } from "./schema";

type Settings = { rollout?: unknown } & Record<string, unknown>;

async function settingsOf(tenantId: string) {
  const t = await db().tenant.findFirst({ where: { id: tenantId }, select: { settings: true } });
  if (!t) throw new AppError("NOT_FOUND", "tenant not found");
  return (t.settings ?? {}) as Settings;
}

export async function getRolloutDefaults(ctx: TenantContext) {
  const settings = await settingsOf(ctx.tenantId);
  return {
    stored: (ZRolloutOptionsInput.safeParse(settings.rollout ?? {}).data ?? {}) as RolloutOptionsInput,
    effective: resolveOptions(settings.rollout, undefined),
  };
}

export async function setRolloutDefaults(ctx: TenantContext, input: RolloutOptionsInput) {
  requireRole(ctx, "ADMIN");
  const rollout = parseInput(ZRolloutOptionsInput, input);
  await db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ settings: Settings }>>`SELECT "settings" FROM "Tenant" WHERE "id" = ${ctx.tenantId} FOR UPDATE`;
    if (!row) throw new AppError("NOT_FOUND", "tenant not found");
    const before = (row.settings ?? {}) as Settings;
    await tx.tenant.updateMany({ where: { id: ctx.tenantId }, data: { settings: { ...before, rollout } as object } });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "rollout.defaults",
      targetType: "tenant",
      targetId: ctx.tenantId,
      before: { rollout: before.rollout ?? null },
      after: { rollout },
    });
  });
  return getRolloutDefaults(ctx);
}
