import { issueSecret } from "../auth/secrets";
import { requireRole } from "../platform/roles";
import { writeAudit } from "../audit/write-audit";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { env } from "../platform/env";
import { AppError } from "../platform/errors";
import { parseInput } from "../platform/validation";
import { INVITE_TTL_DAYS, ZInviteMemberInput, type InviteMemberInput } from "./schema";

/**
 * Invite someone by email. Returns the invite link once (it carries the secret);
 * no mail server is needed: the inviter copies the link.
 */
export async function inviteMember(ctx: TenantContext, input: InviteMemberInput) {
  requireRole(ctx, "ADMIN");
  const data = parseInput(ZInviteMemberInput, input);
  if (data.role === "OWNER") requireRole(ctx, "OWNER");
  const existing = await db().membership.findFirst({ where: { tenantId: ctx.tenantId, user: { email: data.email } }, select: { id: true } });
  if (existing) throw new AppError("CONFLICT", `email: ${data.email} is already a member`, { fieldErrors: { email: ["is already a member"] } });
  const secret = issueSecret("isi");
  const expiresAt = new Date(Date.now() + INVITE_TTL_DAYS * 86400_000);
  const invite = await db().$transaction(async (tx) => {
    const row = await tx.invite.create({
      data: {
        id: secret.id,
        tenantId: ctx.tenantId,
        email: data.email,
        role: data.role,
        secretHash: secret.hash,
        expiresAt,
        createdById: ctx.actor.id ?? null,
      },
      select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    });
    await writeAudit(tx, {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      action: "member.invite",
      targetType: "invite",
      targetId: row.id,
      after: { email: row.email, role: row.role },
    });
    return row;
  });
  return { ...invite, link: `${env().PUBLIC_URL}/invite/${encodeURIComponent(secret.token)}` };
}
