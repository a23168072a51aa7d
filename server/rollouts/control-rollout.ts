// What an operator can do to a rollout: pause, resume, cancel (stop publishing; what is
// out stays), roll back (publish every changed target's previous content). Each is
// audited and decided under the rollout's row lock, like the rollout's own steps.
import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import { announceRevision } from "../config/publish-revision";
import type { TenantContext } from "../platform/context";
import { db, type Tx } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { advanceRollout, kickQueued } from "./advance-rollout";
import { getRollout } from "./list-rollouts";
import { rollBackInTx } from "./rollback";

export type RolloutAction = "pause" | "resume" | "cancel" | "rollback";

const ALLOWED: Record<RolloutAction, string[]> = {
  pause: ["PENDING", "QUEUED", "RUNNING"],
  resume: ["PAUSED"],
  cancel: ["PENDING", "QUEUED", "RUNNING", "PAUSED"],
  rollback: ["RUNNING", "PAUSED", "DONE"],
};

async function lockRollout(tx: Tx, tenantId: string, id: string) {
  const [r] = await tx.$queryRaw<Array<{ status: string; seq: bigint; startedAt: Date | null }>>`
    SELECT "status", "seq", "startedAt" FROM "Rollout" WHERE "id" = ${id} AND "tenantId" = ${tenantId} FOR UPDATE`;
  if (!r) throw new AppError("NOT_FOUND", "rollout not found");
  return r;
}

export async function controlRollout(ctx: TenantContext, id: string, action: RolloutAction) {
  requireRole(ctx, "OPERATOR");
  const announce = await db().$transaction(
    async (tx) => {
      const r = await lockRollout(tx, ctx.tenantId, id);
      if (!ALLOWED[action].includes(r.status)) {
        throw new AppError(
          "CONFLICT",
          `cannot ${action} a rollout that is ${r.status.toLowerCase()} (allowed when ${ALLOWED[action].join(", ").toLowerCase()})`,
        );
      }
      let published = new Map<string, number>();
      const who = `${ctx.actor.label}`;
      if (action === "pause") await tx.rollout.updateMany({ where: { id, tenantId: ctx.tenantId }, data: { status: "PAUSED" } });
      else if (action === "resume") {
        // A rollout paused before it started goes back to waiting for its turn.
        await tx.rollout.updateMany({ where: { id, tenantId: ctx.tenantId }, data: { status: r.startedAt ? "RUNNING" : "PENDING" } });
      } else if (action === "cancel") {
        published = await rollBackInTx(tx, ctx.tenantId, id, { status: "CANCELLED", failure: `cancelled by ${who}` }, false);
      } else {
        if (r.status === "DONE") {
          // Rolling back a finished rollout must not undo a later one's change.
          const later = await tx.$queryRaw<Array<{ clusterName: string }>>`
            SELECT b."clusterName" FROM "RolloutTarget" a
              JOIN "RolloutTarget" b ON b."clusterId" = a."clusterId" AND b."rolloutId" <> a."rolloutId"
              JOIN "Rollout" rb ON rb."id" = b."rolloutId"
             WHERE a."rolloutId" = ${id} AND a."tenantId" = ${ctx.tenantId} AND rb."seq" > ${r.seq} AND b."toRevision" IS NOT NULL AND b."state" <> 'UNCHANGED'
             LIMIT 1`;
          if (later.length) throw new AppError("CONFLICT", `cannot roll back: a later rollout changed ${later[0]!.clusterName} since`);
        }
        published = await rollBackInTx(tx, ctx.tenantId, id, { status: "ROLLED_BACK", failure: `rolled back by ${who}` }, true);
      }
      await writeAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: `rollout.${action}`,
        targetType: "rollout",
        targetId: id,
        before: { status: r.status },
        after: { status: (await tx.rollout.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { status: true } }))!.status },
      });
      return published;
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
  for (const [clusterId, revision] of announce) await announceRevision(clusterId, revision);
  if (action === "resume") await advanceRollout(ctx.tenantId, id);
  if (action === "cancel" || action === "rollback") await kickQueued(ctx.tenantId, id);
  return getRollout(ctx, id);
}
