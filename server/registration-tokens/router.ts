import { z } from "zod";
import { router, tenantProcedure } from "../trpc/trpc";
import { createRegistrationToken } from "./create-registration-token";
import { listRegistrationTokens } from "./list-registration-tokens";
import { revokeRegistrationToken } from "./revoke-registration-token";
import { ZCreatedRegistrationToken, ZCreateRegistrationTokenInput, ZOk, ZTokenRowList } from "./schema";

export const registrationTokensRouter = router({
  list: tenantProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/registration-tokens",
        tags: ["registration-tokens"],
        summary: "Registration tokens: expiry, uses left, last use, and whether each can still enrol a cluster (never their secrets)",
      },
    })
    .output(ZTokenRowList)
    .query(async ({ ctx }) => ({ items: await listRegistrationTokens(ctx.tenant) })),
  create: tenantProcedure
    .meta({
      successStatus: 201,
      openapi: {
        method: "POST",
        path: "/registration-tokens",
        tags: ["registration-tokens"],
        summary: "Create a registration token (ADMIN+); the token and install snippet are in this response only",
        description:
          "maxUses defaults to 1; send `unlimited: true` (without maxUses) for a token that enrols any number of clusters until it expires. Answers 201.",
        successDescription: "Created (201): the token, shown once",
      },
    })
    .input(ZCreateRegistrationTokenInput)
    .output(ZCreatedRegistrationToken)
    .mutation(({ ctx, input }) => {
      const { tenant: _t, ...data } = input as typeof input & { tenant?: string };
      return createRegistrationToken(ctx.tenant, data);
    }),
  revoke: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/registration-tokens/{id}", tags: ["registration-tokens"], summary: "Revoke a registration token (ADMIN+)" } })
    .input(z.object({ id: z.string().max(64) }))
    .output(ZOk)
    .mutation(({ ctx, input }) => revokeRegistrationToken(ctx.tenant, input.id)),
});
