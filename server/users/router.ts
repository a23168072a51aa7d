import { z } from "zod";
import { revokeAllUserSessions } from "../auth/user-sessions";
import { listUserTenants } from "../tenants/list-user-tenants";
import { authedProcedure, router, userProcedure } from "../trpc/trpc";
import { ZMe, ZSessionsEnded } from "./schema";

export const meRouter = router({
  get: authedProcedure
    .meta({ openapi: { method: "GET", path: "/me", tags: ["me"], summary: "Who the caller is and which tenants it can act on" } })
    .input(z.object({}).optional())
    .output(ZMe)
    .query(async ({ ctx }) => {
      if (ctx.apiToken) {
        const { id, name, role, tenant } = ctx.apiToken;
        return { kind: "apiToken" as const, user: null, apiToken: { id, name, role }, tenants: [{ ...tenant, role }] };
      }
      return { kind: "user" as const, user: ctx.user!, apiToken: null, tenants: await listUserTenants(ctx.user!.id) };
    }),
  // Ends every console session of the caller, this one included (a lost laptop, a
  // shared computer). API tokens are separate and stay.
  signOutEverywhere: userProcedure.output(ZSessionsEnded).mutation(async ({ ctx }) => ({ sessionsEnded: await revokeAllUserSessions(ctx.user.id) })),
});
