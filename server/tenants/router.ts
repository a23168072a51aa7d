import type { Actor } from "../platform/context";
import { router, userProcedure } from "../trpc/trpc";
import { createTenant } from "./create-tenant";
import { ZCreateTenantInput, ZTenant } from "./schema";

export const tenantsRouter = router({
  // Creating a tenant is a person's act: API tokens belong to one tenant and cannot.
  create: userProcedure
    .input(ZCreateTenantInput)
    .output(ZTenant)
    .mutation(({ ctx, input }) => {
      const actor: Actor = { type: "USER", id: ctx.user.id, label: ctx.user.email, sourceIp: ctx.sourceIp };
      return createTenant(actor, ctx.user.id, input);
    }),
});
