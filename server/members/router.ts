import { z } from "zod";
import { ROLES } from "../auth/roles";
import { publicProcedure, router, tenantProcedure } from "../trpc/trpc";
import { acceptInvite, describeInvite } from "./accept-invite";
import { inviteMember } from "./invite-member";
import { listInvites } from "./list-invites";
import { listMembers } from "./list-members";
import { revokeInvite } from "./revoke-invite";
import { ZAcceptInviteInput, ZInviteMemberInput } from "./schema";
import { removeMember, updateMemberRole } from "./update-member";

const ZRoleOut = z.enum(ROLES);
const ZMember = z.object({ userId: z.string(), email: z.string(), name: z.string().nullable(), role: ZRoleOut, joinedAt: z.date(), lastLoginAt: z.date().nullable() });
const ZInvite = z.object({ id: z.string(), email: z.string(), role: ZRoleOut, expiresAt: z.date(), createdAt: z.date() });

export const membersRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/members", tags: ["members"], summary: "Members of the tenant and their roles" } })
    .output(z.object({ items: z.array(ZMember) }))
    .query(async ({ ctx }) => ({ items: await listMembers(ctx.tenant) })),
  invite: tenantProcedure
    .meta({ openapi: { method: "POST", path: "/members/invites", tags: ["members"], summary: "Invite someone by email; returns a one-time invite link", successDescription: "The invite, with its link (shown once)" } })
    .input(ZInviteMemberInput)
    .output(ZInvite.extend({ link: z.string() }))
    .mutation(({ ctx, input }) => inviteMember(ctx.tenant, input)),
  invites: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/members/invites", tags: ["members"], summary: "Open invites" } })
    .output(z.object({ items: z.array(ZInvite) }))
    .query(async ({ ctx }) => ({ items: await listInvites(ctx.tenant) })),
  revokeInvite: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/members/invites/{id}", tags: ["members"], summary: "Revoke an open invite" } })
    .input(z.object({ id: z.string() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => revokeInvite(ctx.tenant, input.id)),
  updateRole: tenantProcedure
    .meta({ openapi: { method: "PATCH", path: "/members/{userId}", tags: ["members"], summary: "Change a member's role" } })
    .input(z.object({ userId: z.string(), role: ZRoleOut }))
    .output(z.object({ userId: z.string(), role: ZRoleOut }))
    .mutation(({ ctx, input }) => updateMemberRole(ctx.tenant, { userId: input.userId, role: input.role })),
  remove: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/members/{userId}", tags: ["members"], summary: "Remove a member (or leave)" } })
    .input(z.object({ userId: z.string() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => removeMember(ctx.tenant, input.userId)),
});

// Invite links are opened by people who may not have an account yet.
export const invitesRouter = router({
  describe: publicProcedure
    .input(z.object({ token: z.string().max(200) }))
    .query(({ input }) => describeInvite(input.token)),
  accept: publicProcedure
    .input(ZAcceptInviteInput)
    .mutation(({ ctx, input }) => acceptInvite(ctx.user ? { id: ctx.user.id, email: ctx.user.email } : null, input, ctx.sourceIp)),
});
