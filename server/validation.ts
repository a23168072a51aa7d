import type { z } from "zod";
import { AppError } from "./errors";

/** Parse service input; on failure an AppError whose message names each field and rule. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join(".") || "input";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  const message = Object.entries(fieldErrors)
    .map(([f, m]) => `${f}: ${m.join("; ")}`)
    .join("\n");
  throw new AppError("BAD_REQUEST", message, { fieldErrors });
}
