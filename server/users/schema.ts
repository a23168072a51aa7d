import { z } from "zod";
import { normalizeEmail } from "./email";
import { passwordProblem } from "./password";

export const ZEmail = z
  .string()
  .overwrite(normalizeEmail)
  .max(254, "must be at most 254 characters")
  .email("must be an email address such as ops@example.com");

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
