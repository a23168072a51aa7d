import { z } from "zod";
import type { Actor } from "../context";
import { router, userProcedure } from "../trpc/trpc";
import { createTenant } from "./create-tenant";
import { ZCreateTenantInput } from "./schema";

const ZTenant = z.object({ id: z.string(), slug: z.string(), name: z.string(), createdAt: z.date() });

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
