import type { Role } from "../platform/roles";
import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { db, type Tx } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { parseInput } from "../platform/validation";
import { ZUpdateRoleInput, type UpdateRoleInput } from "./schema";

async function loadMember(tx: Tx, ctx: TenantContext, userId: string) {
  const m = await tx.membership.findFirst({
    where: { tenantId: ctx.tenantId, userId },
    select: { id: true, role: true, version: true, user: { select: { email: true } } },
  });
  if (!m) throw new AppError("NOT_FOUND", "member not found");
  return m;
}

// The tenant must always keep an owner: counted inside the transaction, with the
// owner rows locked so two concurrent demotions cannot both pass.
async function assertNotLastOwner(tx: Tx, tenantId: string) {
  const owners = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "Membership" WHERE "tenantId" = ${tenantId} AND role = 'OWNER' FOR UPDATE`;
  if (owners.length <= 1) throw new AppError("PRECONDITION_FAILED", "The last owner cannot be removed or demoted. Make someone else an owner first.");
}

// Only owners may touch owners or create them.
function assertMayManage(ctx: TenantContext, targetRole: Role, newRole?: Role) {
  requireRole(ctx, "ADMIN");
  if (targetRole === "OWNER" || newRole === "OWNER") requireRole(ctx, "OWNER");
}

export async function updateMemberRole(ctx: TenantContext, input: UpdateRoleInput) {
  requireRole(ctx, "ADMIN");
  const data = parseInput(ZUpdateRoleInput, input);
  return db().$transaction(async (tx) => {
    const m = await loadMember(tx, ctx, data.userId);
    assertMayManage(ctx, m.role, data.role);
    if (m.role === data.role) return { userId: data.userId, role: m.role, version: m.version };
    if (m.role === "OWNER") await assertNotLastOwner(tx, ctx.tenantId);
    // Conditional on the version read: a concurrent change of this membership makes this one a no-op to retry, not an overwrite.
    const updated = await tx.membership.updateMany({
      where: { id: m.id, tenantId: ctx.tenantId, version: m.version },
      data: { role: data.role, version: { increment: 1 } },
    });
    if (updated.count === 0) throw new AppError("CONFLICT", "The member's role was changed by someone else meanwhile: reload and try again.");
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "member.role.update",
      targetType: "membership",
      targetId: data.userId,
      before: { email: m.user.email, role: m.role },
      after: { email: m.user.email, role: data.role },
    });
    return { userId: data.userId, role: data.role, version: m.version + 1 };
  });
}

export async function removeMember(ctx: TenantContext, userId: string) {
  const self = ctx.actor.type === "USER" && ctx.actor.id === userId;
  if (!self) requireRole(ctx, "ADMIN");
  return db().$transaction(async (tx) => {
    const m = await loadMember(tx, ctx, userId);
    // Anyone may leave; removing someone else needs ADMIN (OWNER for an owner).
    if (!self) assertMayManage(ctx, m.role);
    if (m.role === "OWNER") await assertNotLastOwner(tx, ctx.tenantId);
    await tx.membership.deleteMany({ where: { id: m.id, tenantId: ctx.tenantId } });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "member.remove",
      targetType: "membership",
      targetId: userId,
      before: { email: m.user.email, role: m.role },
    });
    return { ok: true as const };
  });
}
