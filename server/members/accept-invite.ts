import { parseSecret, verifySecret } from "../auth/secrets";
import { writeAudit } from "../audit/write-audit";
import type { Actor } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { hashPassword } from "../users/password";
import { parseInput } from "../platform/validation";
import { ZAcceptInviteInput, type AcceptInviteInput } from "./schema";

async function findOpenInvite(token: string) {
  const parsed = parseSecret("isi", token);
  const invite = parsed
    ? await db().invite.findUnique({
        where: { id: parsed.id },
        select: {
          id: true,
          tenantId: true,
          email: true,
          role: true,
          secretHash: true,
          expiresAt: true,
          acceptedAt: true,
          revokedAt: true,
          tenant: { select: { slug: true, name: true } },
        },
      })
    : null;
  if (!invite || !parsed || !verifySecret(invite.secretHash, parsed.secret)) throw new AppError("NOT_FOUND", "This invite link is not valid.");
  if (invite.revokedAt) throw new AppError("PRECONDITION_FAILED", "This invite was revoked.");
  if (invite.acceptedAt) throw new AppError("PRECONDITION_FAILED", "This invite was already used.");
  if (invite.expiresAt <= new Date()) throw new AppError("PRECONDITION_FAILED", "This invite has expired. Ask for a new one.");
  return invite;
}

/** What the invite page shows before accepting. */
export async function describeInvite(token: string) {
  const invite = await findOpenInvite(token);
  const account = await db().user.findUnique({ where: { email: invite.email }, select: { id: true } });
  return {
    tenantName: invite.tenant.name,
    tenantSlug: invite.tenant.slug,
    email: invite.email,
    role: invite.role,
    expiresAt: invite.expiresAt,
    hasAccount: !!account,
  };
}

/**
 * Accept an invite, either as the signed-in user whose email it names, or by creating
 * the account for that email. The membership, the invite's use and the audit row are
 * one transaction.
 */
export async function acceptInvite(signedIn: { id: string; email: string } | null, input: AcceptInviteInput, sourceIp: string | null = null) {
  const data = parseInput(ZAcceptInviteInput, input);
  const invite = await findOpenInvite(data.token);
  if (signedIn && signedIn.email !== invite.email) {
    throw new AppError("FORBIDDEN", `This invite is for ${invite.email}; you are signed in as ${signedIn.email}.`);
  }
  if (!signedIn && !data.newAccount) throw new AppError("UNAUTHORIZED", "Sign in, or choose a password to create your account.");
  const passwordHash = !signedIn && data.newAccount ? await hashPassword(data.newAccount.password) : null;
  return db().$transaction(async (tx) => {
    let userId = signedIn?.id;
    if (!userId) {
      const existing = await tx.user.findUnique({ where: { email: invite.email }, select: { id: true } });
      if (existing) throw new AppError("CONFLICT", `${invite.email} already has an account: sign in to accept.`);
      const user = await tx.user.create({ data: { email: invite.email, name: data.newAccount?.name || null, passwordHash }, select: { id: true } });
      userId = user.id;
    }
    const used = await tx.invite.updateMany({
      where: { id: invite.id, tenantId: invite.tenantId, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: new Date(), acceptedBy: userId },
    });
    if (used.count === 0) throw new AppError("PRECONDITION_FAILED", "This invite was already used.");
    await tx.membership.upsert({
      where: { tenantId_userId: { tenantId: invite.tenantId, userId } },
      create: { tenantId: invite.tenantId, userId, role: invite.role },
      update: {},
    });
    const actor: Actor = { type: "USER", id: userId, label: invite.email, sourceIp };
    await writeAudit(tx, {
      tenantId: invite.tenantId,
      actor,
      action: "member.join",
      targetType: "membership",
      targetId: userId,
      after: { email: invite.email, role: invite.role },
    });
    return { tenantSlug: invite.tenant.slug, email: invite.email, role: invite.role };
  });
}
