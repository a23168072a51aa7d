import { z } from "zod";
import { publicProcedure, router, tenantProcedure } from "../trpc/trpc";
import { acceptInvite, describeInvite } from "./accept-invite";
import { inviteMember } from "./invite-member";
import { listInvites } from "./list-invites";
import { listMembers } from "./list-members";
import { revokeInvite } from "./revoke-invite";
import {
  ZAcceptedInvite,
  ZAcceptInviteInput,
  ZCreatedInvite,
  ZInviteList,
  ZInviteMemberInput,
  ZInvitePreview,
  ZMemberList,
  ZMemberRole,
  ZOk,
  ZRole,
} from "./schema";
import { removeMember, updateMemberRole } from "./update-member";

export const membersRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/members", tags: ["members"], summary: "Members of the tenant and their roles" } })
    .output(ZMemberList)
    .query(async ({ ctx }) => ({ items: await listMembers(ctx.tenant) })),
  invite: tenantProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/members/invites",
        tags: ["members"],
        summary: "Invite someone by email; returns a one-time invite link",
        successDescription: "The invite, with its link (shown once)",
      },
    })
    .input(ZInviteMemberInput)
    .output(ZCreatedInvite)
    .mutation(({ ctx, input }) => inviteMember(ctx.tenant, input)),
  invites: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/members/invites", tags: ["members"], summary: "Open invites" } })
    .output(ZInviteList)
    .query(async ({ ctx }) => ({ items: await listInvites(ctx.tenant) })),
  revokeInvite: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/members/invites/{id}", tags: ["members"], summary: "Revoke an open invite" } })
    .input(z.object({ id: z.string() }))
    .output(ZOk)
    .mutation(({ ctx, input }) => revokeInvite(ctx.tenant, input.id)),
  updateRole: tenantProcedure
    .meta({ openapi: { method: "PATCH", path: "/members/{userId}", tags: ["members"], summary: "Change a member's role" } })
    .input(z.object({ userId: z.string(), role: ZRole }))
    .output(ZMemberRole)
    .mutation(({ ctx, input }) => updateMemberRole(ctx.tenant, { userId: input.userId, role: input.role })),
  remove: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/members/{userId}", tags: ["members"], summary: "Remove a member (or leave)" } })
    .input(z.object({ userId: z.string() }))
    .output(ZOk)
    .mutation(({ ctx, input }) => removeMember(ctx.tenant, input.userId)),
});

// Invite links are opened by people who may not have an account yet.
export const invitesRouter = router({
  describe: publicProcedure
    .input(z.object({ token: z.string().max(200) }))
    .output(ZInvitePreview)
    .query(({ input }) => describeInvite(input.token)),
  accept: publicProcedure
    .input(ZAcceptInviteInput)
    .output(ZAcceptedInvite)
    .mutation(({ ctx, input }) => acceptInvite(ctx.user ? { id: ctx.user.id, email: ctx.user.email } : null, input, ctx.sourceIp)),
});
