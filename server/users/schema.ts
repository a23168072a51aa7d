import { z } from "zod";
import { ROLES } from "../platform/roles";
import { normalizeEmail } from "./email";
import { passwordProblem } from "./password";

export const ZEmail = z.string().overwrite(normalizeEmail).max(254, "must be at most 254 characters").email("must be an email address such as ops@example.com");

export const ZPassword = z.string().superRefine((p, ctx) => {
  const problem = passwordProblem(p);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const ZCreateUserInput = z.object({
  email: ZEmail,
  password: ZPassword,
  name: z.string().trim().max(100).optional(),
});
export type CreateUserInput = z.infer<typeof ZCreateUserInput>;

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
export const ZTenantRef = z.object({ id: z.string(), slug: z.string(), name: z.string(), role: z.enum(ROLES) });
export const ZMe = z.object({
  kind: z.enum(["user", "apiToken"]),
  user: z.object({ id: z.string(), email: z.string(), name: z.string().nullable() }).nullable(),
  apiToken: z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) }).nullable(),
  tenants: z.array(ZTenantRef),
});
export const ZSessionsEnded = z.object({ sessionsEnded: z.number().int() });
