import { z } from "zod";
import { ROLES } from "../platform/roles";
import { ZEmail, ZPassword } from "../users/schema";

export const ZRole = z.enum(ROLES);

export const ZInviteMemberInput = z.object({
  email: ZEmail,
  role: ZRole,
});
export type InviteMemberInput = z.infer<typeof ZInviteMemberInput>;

export const ZUpdateRoleInput = z.object({ userId: z.string().min(1), role: ZRole });
export type UpdateRoleInput = z.infer<typeof ZUpdateRoleInput>;

export const ZAcceptInviteInput = z.object({
  token: z.string().min(1).max(200),
  // For someone without an account yet: the invite creates it with the invited email.
  newAccount: z.object({ name: z.string().trim().max(100).optional(), password: ZPassword }).optional(),
});
export type AcceptInviteInput = z.infer<typeof ZAcceptInviteInput>;

export const INVITE_TTL_DAYS = 7;

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
export const ZMember = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: ZRole,
  joinedAt: z.date(),
  lastLoginAt: z.date().nullable(),
});
export const ZMemberList = z.object({ items: z.array(ZMember) });
export const ZMemberRole = z.object({ userId: z.string(), role: ZRole });
export const ZInvite = z.object({ id: z.string(), email: z.string(), role: ZRole, expiresAt: z.date(), createdAt: z.date() });
export const ZInviteList = z.object({ items: z.array(ZInvite) });
export const ZCreatedInvite = ZInvite.extend({ link: z.string().describe("The one-time invite link (shown once)") });
/** What an invite link shows before it is accepted: enough to decide, nothing of the tenant beyond its name. */
export const ZInvitePreview = z.object({
  tenantName: z.string(),
  tenantSlug: z.string(),
  email: z.string(),
  role: ZRole,
  expiresAt: z.date(),
  hasAccount: z.boolean(),
});
export const ZAcceptedInvite = z.object({ tenantSlug: z.string(), email: z.string(), role: ZRole });
export const ZOk = z.object({ ok: z.literal(true) });
