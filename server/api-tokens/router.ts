import { z } from "zod";
import { router, tenantProcedure } from "../trpc/trpc";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens";
import { ZApiTokenList, ZCreateApiTokenInput, ZCreatedApiToken, ZOk } from "./schema";

export const apiTokensRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/api-tokens", tags: ["api-tokens"], summary: "API tokens of the tenant (never their secrets)" } })
    .output(ZApiTokenList)
    .query(async ({ ctx }) => ({ items: await listApiTokens(ctx.tenant) })),
  create: tenantProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/api-tokens",
        tags: ["api-tokens"],
        summary: "Create an API token; the token is in this response only",
        successDescription: "The token (shown once)",
      },
    })
    .input(ZCreateApiTokenInput)
    .output(ZCreatedApiToken)
    .mutation(({ ctx, input }) => createApiToken(ctx.tenant, input)),
  revoke: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/api-tokens/{id}", tags: ["api-tokens"], summary: "Revoke an API token" } })
    .input(z.object({ id: z.string() }))
    .output(ZOk)
    .mutation(({ ctx, input }) => revokeApiToken(ctx.tenant, input.id)),
});
