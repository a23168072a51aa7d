import { z } from "zod";
import { ZSiteType } from "../../protocol/index";
import { MAX_TTL_SECONDS } from "../../protocol/registration-tokens";
import { ZLabels } from "../platform/labels";

export { MAX_TTL_SECONDS };

export const ZCreateRegistrationTokenInput = z
  .object({
    name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
    ttlSeconds: z
      .number()
      .int("must be a whole number of seconds")
      .min(60, "must be at least 60 seconds")
      .max(MAX_TTL_SECONDS, "must be at most 30 days (2592000 seconds)")
      .default(86_400),
    /** How many clusters it may enrol; default 1. For no limit, set `unlimited: true` (and no maxUses). */
    maxUses: z.number().int("must be a whole number").min(1, "must be at least 1").max(100_000, "must be at most 100000").optional(),
    unlimited: z.boolean().default(false),
    labels: ZLabels.default({}),
    siteType: ZSiteType.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.unlimited && v.maxUses !== undefined) ctx.addIssue({ code: "custom", path: ["maxUses"], message: "leave it out when unlimited is true" });
  });
export type CreateRegistrationTokenInput = z.input<typeof ZCreateRegistrationTokenInput>;

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
const ZLabelsOut = z.record(z.string(), z.string());
export const ZTokenRow = z.object({
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
export const ZTokenRowList = z.object({ items: z.array(ZTokenRow) });
export const ZCreatedRegistrationToken = z.object({
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
});
export const ZOk = z.object({ ok: z.literal(true) });
