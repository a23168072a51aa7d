import { z } from "zod";

export const ZSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "must be at least 2 characters")
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "use lower-case letters, digits and '-', starting and ending with a letter or digit");

export const ZCreateTenantInput = z.object({
  slug: ZSlug,
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
});
export type CreateTenantInput = z.infer<typeof ZCreateTenantInput>;

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
export const ZTenant = z.object({ id: z.string(), slug: z.string(), name: z.string(), createdAt: z.date() });
