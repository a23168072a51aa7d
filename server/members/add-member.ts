import { z } from "zod";
import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError, isUniqueViolation } from "../platform/errors";
import { ZEmail } from "../users/schema";
import { parseInput } from "../platform/validation";
import { ZRole } from "./schema";

export const ZAddMemberInput = z.object({ email: ZEmail, role: ZRole });
export type AddMemberInput = z.infer<typeof ZAddMemberInput>;

/**
 * Add an existing account to the tenant with a role, without an invite (the CLI and
 * automation; people without an account are invited instead). Only owners grant OWNER.
 */
export async function addMember(ctx: TenantContext, input: AddMemberInput) {
  requireRole(ctx, "ADMIN");
  const data = parseInput(ZAddMemberInput, input);
  if (data.role === "OWNER") requireRole(ctx, "OWNER");
  const user = await db().user.findUnique({ where: { email: data.email }, select: { id: true, email: true } });
  if (!user)
    throw new AppError("NOT_FOUND", `email: no account for ${data.email}; create it first or send an invite`, { fieldErrors: { email: ["has no account"] } });
  try {
    return await db().$transaction(async (tx) => {
      const m = await tx.membership.create({ data: { tenantId: ctx.tenantId, userId: user.id, role: data.role }, select: { userId: true, role: true } });
      await writeAudit(tx, {
        tenantId: ctx.tenantId,
        actor: ctx.actor,
        action: "member.add",
        targetType: "membership",
        targetId: user.id,
        after: { email: user.email, role: data.role },
      });
      return { userId: m.userId, email: user.email, role: m.role };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError("CONFLICT", `email: ${data.email} is already a member`, { fieldErrors: { email: ["is already a member"] } }, { cause: err });
    throw err;
  }
}
