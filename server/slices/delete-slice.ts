import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import { deliverNow, recordDeliveries } from "../rollouts/outbox";
import type { RolloutOptionsInput } from "../rollouts/schema";
import { rolloutSummary } from "../rollouts/summary";
import type { TenantContext } from "../platform/context";
import { AppError } from "../platform/errors";
import { assertVersion, type VersionCondition } from "../platform/versions";
import { loadSlice, specOf } from "./load-slice";
import { lockSlices, writeTransaction } from "./locks";

/** Delete a slice; its former members get revisions without it (through the outbox). */
export async function deleteSlice(ctx: TenantContext, id: string, expected?: VersionCondition, rollout?: RolloutOptionsInput) {
  requireRole(ctx, "OPERATOR");
  const rows = await writeTransaction("slice.delete", async (tx) => {
    if ((await lockSlices(tx, ctx.tenantId, [id])).length === 0) throw new AppError("NOT_FOUND", "slice not found");
    const slice = await loadSlice(tx, ctx.tenantId, id);
    assertVersion(`slice ${slice.name}`, slice.version, expected);
    await tx.slice.deleteMany({ where: { id, tenantId: ctx.tenantId } });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "slice.delete",
      targetType: "slice",
      targetId: id,
      before: specOf(slice) as unknown as Record<string, unknown>,
    });
    return recordDeliveries(
      tx,
      ctx.tenantId,
      slice.members.map((m) => m.clusterId),
      `slice.delete ${id}`,
      { rollout, actor: ctx.actor },
    );
  });
  const revisions = await deliverNow(rows);
  return { ok: true as const, revisions, rollout: await rolloutSummary(ctx.tenantId, rows) };
}
