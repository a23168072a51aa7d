import { z } from "zod";
import { ROLES } from "../auth/roles";
import { router, tenantProcedure } from "../trpc/trpc";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens";
import { ZCreateApiTokenInput } from "./schema";

const ZApiToken = z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES), expiresAt: z.date(), lastUsedAt: z.date().nullable(), revokedAt: z.date().nullable(), createdAt: z.date() });

export const apiTokensRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/api-tokens", tags: ["api-tokens"], summary: "API tokens of the tenant (never their secrets)" } })
    .output(z.object({ items: z.array(ZApiToken) }))
    .query(async ({ ctx }) => ({ items: await listApiTokens(ctx.tenant) })),
  create: tenantProcedure
    .meta({ openapi: { method: "POST", path: "/api-tokens", tags: ["api-tokens"], summary: "Create an API token; the token is in this response only", successDescription: "The token (shown once)" } })
    .input(ZCreateApiTokenInput)
    .output(ZApiToken.extend({ token: z.string() }))
    .mutation(({ ctx, input }) => createApiToken(ctx.tenant, input)),
  revoke: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/api-tokens/{id}", tags: ["api-tokens"], summary: "Revoke an API token" } })
    .input(z.object({ id: z.string() }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => revokeApiToken(ctx.tenant, input.id)),
});
