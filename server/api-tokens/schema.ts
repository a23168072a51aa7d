import { z } from "zod";
import { ZRole } from "../members/schema";

export const ZCreateApiTokenInput = z.object({
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  role: ZRole,
  expiresInDays: z.number().int("must be a whole number of days").min(1, "must be at least 1 day").max(365, "must be at most 365 days").default(90),
});
export type CreateApiTokenInput = z.input<typeof ZCreateApiTokenInput>;
