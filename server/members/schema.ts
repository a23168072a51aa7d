import { z } from "zod";
import { ROLES } from "../auth/roles";
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
