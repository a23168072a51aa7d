// Zod issues as field errors, one rule for every caller: a field is the issue's path
// joined with dots ("members.0", "qos.priority"), and an issue about the whole value
// (empty path) is filed under the caller's name for that value ("input", "spec").
// Forms show the messages beside the field of that name, so the rule must not differ
// between the REST answer, a service's AppError and the slice wizard's preview.
import type { z } from "zod";

type Issue = Pick<z.core.$ZodIssue, "path" | "message">;

/** The field an issue at `path` belongs to; `root` when the path is empty. */
export function issueField(path: readonly PropertyKey[], root: string): string {
  return path.map(String).join(".") || root;
}

/** Messages by field, in the order zod reported them. */
export function fieldErrorsOf(issues: readonly Issue[], root: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) (out[issueField(issue.path, root)] ??= []).push(issue.message);
  return out;
}

/** One line a field: "field: rule; rule". */
export function describeFieldErrors(errors: Record<string, string[]>): string {
  return Object.entries(errors)
    .map(([field, rules]) => `${field}: ${rules.join("; ")}`)
    .join("\n");
}
