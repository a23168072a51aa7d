import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import { deliverNow, recordDeliveries } from "../rollouts/outbox";
import type { TenantContext } from "../platform/context";
import { AppError } from "../platform/errors";
import type { RolloutOptionsInput } from "../rollouts/schema";
import { rolloutSummary } from "../rollouts/summary";
import { lockSlices, writeTransaction } from "../slices/locks";
import { assertVersion, type VersionCondition } from "../platform/versions";
import { POSTURE_FROM_DB, POSTURE_TO_DB, type SlicePosture } from "./schema";

/**
 * A slice's default posture: `allow-within-slice` (its application namespaces talk to
 * each other and to remote members, as before policies) or `deny-by-default` (only
 * connectivity policies open traffic). Its members get new bundles.
 */
export async function setSlicePosture(ctx: TenantContext, sliceId: string, posture: SlicePosture, expected?: VersionCondition, rollout?: RolloutOptionsInput) {
  requireRole(ctx, "OPERATOR");
  let version = 0;
  const rows = await writeTransaction("slice.posture", async (tx) => {
    if ((await lockSlices(tx, ctx.tenantId, [sliceId])).length === 0) throw new AppError("NOT_FOUND", "slice not found");
    const slice = await tx.slice.findFirst({
      where: { id: sliceId, tenantId: ctx.tenantId },
      select: { name: true, version: true, defaultPosture: true, members: { select: { clusterId: true } } },
    });
    if (!slice) throw new AppError("NOT_FOUND", "slice not found");
    assertVersion(`slice ${slice.name}`, slice.version, expected);
    version = slice.version;
    if (slice.defaultPosture === POSTURE_TO_DB[posture]) return [];
    await tx.slice.updateMany({ where: { id: sliceId, tenantId: ctx.tenantId }, data: { defaultPosture: POSTURE_TO_DB[posture], version: { increment: 1 } } });
    version++;
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "slice.posture",
      targetType: "slice",
      targetId: sliceId,
      before: { defaultPosture: POSTURE_FROM_DB[slice.defaultPosture] },
      after: { defaultPosture: posture },
    });
    return recordDeliveries(
      tx,
      ctx.tenantId,
      slice.members.map((m) => m.clusterId),
      `slice.posture ${sliceId}`,
      { rollout, actor: ctx.actor },
    );
  });
  const revisions = await deliverNow(rows);
  return { id: sliceId, defaultPosture: posture, version, revisions, rollout: await rolloutSummary(ctx.tenantId, rows) };
}
