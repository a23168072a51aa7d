import { z } from "zod";
import { ZSiteType } from "../../protocol/index";
import { router, tenantProcedure } from "../trpc/trpc";
import { createRegistrationToken } from "./create-registration-token";
import { listRegistrationTokens } from "./list-registration-tokens";
import { revokeRegistrationToken } from "./revoke-registration-token";
import { ZCreateRegistrationTokenInput } from "./schema";

const ZLabelsOut = z.record(z.string(), z.string());
const ZTokenRow = z.object({
  id: z.string(),
  name: z.string(),
  expiresAt: z.date(),
  maxUses: z.number().nullable(),
  uses: z.number(),
  usesLeft: z.number().nullable(),
  labels: ZLabelsOut,
  siteType: ZSiteType.nullable(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  createdAt: z.date(),
  redeemable: z.boolean(),
  reason: z.enum(["EXPIRED", "USED_UP", "REVOKED"]).nullable(),
});

export const registrationTokensRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/registration-tokens", tags: ["registration-tokens"], summary: "Registration tokens: expiry, uses left, last use, and whether each can still enrol a cluster (never their secrets)" } })
    .output(z.object({ items: z.array(ZTokenRow) }))
    .query(async ({ ctx }) => ({ items: await listRegistrationTokens(ctx.tenant) })),
  create: tenantProcedure
    .meta({
      successStatus: 201,
      openapi: {
        method: "POST",
        path: "/registration-tokens",
        tags: ["registration-tokens"],
        summary: "Create a registration token (ADMIN+); the token and install snippet are in this response only",
        description: "maxUses defaults to 1; send `unlimited: true` (without maxUses) for a token that enrols any number of clusters until it expires. Answers 201.",
        successDescription: "Created (201): the token, shown once",
      },
    })
    .input(ZCreateRegistrationTokenInput)
    .output(
      z.object({
        id: z.string(),
        name: z.string(),
        token: z.string(),
        expiresAt: z.date(),
        maxUses: z.number().nullable(),
        usesLeft: z.number().nullable(),
        labels: ZLabelsOut,
        siteType: ZSiteType.nullable(),
        createdAt: z.date(),
        install: z.object({
          command: z.string().describe("One line for any machine whose kubectl points at the cluster: fetches `url` with the token and applies it"),
          kubectlOnly: z.string().describe("The same with kubectl alone (the token is in the URL's query)"),
          url: z.string().describe("The agent's manifests for this token: GET with ?token= or Authorization: Bearer <token>"),
          warning: z.string().nullable().describe("Set when PUBLIC_URL is one no cluster can reach (unset, localhost), with how to fix it"),
          localCommand: z.string(),
          secretManifest: z.string(),
        }),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { tenant: _t, ...data } = input as typeof input & { tenant?: string };
      return createRegistrationToken(ctx.tenant, data);
    }),
  revoke: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/registration-tokens/{id}", tags: ["registration-tokens"], summary: "Revoke a registration token (ADMIN+)" } })
    .input(z.object({ id: z.string().max(64) }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => revokeRegistrationToken(ctx.tenant, input.id)),
});
