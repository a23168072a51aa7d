import { z } from "zod";
import { ROLES } from "../platform/roles";
import { ZRole } from "../members/schema";

export const ZCreateApiTokenInput = z.object({
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  role: ZRole,
  expiresInDays: z.number().int("must be a whole number of days").min(1, "must be at least 1 day").max(365, "must be at most 365 days").default(90),
});
export type CreateApiTokenInput = z.input<typeof ZCreateApiTokenInput>;

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
export const ZApiToken = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  expiresAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  createdAt: z.date(),
});
export const ZApiTokenList = z.object({ items: z.array(ZApiToken) });
export const ZCreatedApiToken = ZApiToken.extend({ token: z.string().describe("The API token (shown once)") });
export const ZOk = z.object({ ok: z.literal(true) });
