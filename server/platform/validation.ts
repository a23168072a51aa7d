import type { z } from "zod";
import { storableText } from "../../protocol/index";
import { AppError, fieldError } from "./errors";
import { describeFieldErrors, fieldErrorsOf } from "./zod-issues";

/** Deeper than any input of the API; refusing it keeps every later walk (zod, Prisma, JSON columns) bounded. */
export const MAX_INPUT_DEPTH = 32;
export const UNSTORABLE_TEXT_RULE = "must not contain NUL or unpaired surrogate characters";

/**
 * The first problem with text anywhere in an input, or null: a string or an object key
 * holding a NUL or an unpaired UTF-16 surrogate (PostgreSQL refuses the first in text and
 * jsonb, and the second in jsonb), or nesting deeper than MAX_INPUT_DEPTH. Iterative, so
 * a hostile nesting cannot overflow the stack.
 */
export function findUnstorableInput(input: unknown): { field: string; message: string } | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: input, path: "", depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === "string") {
      if (!storableText(value)) return { field: path || "input", message: UNSTORABLE_TEXT_RULE };
      continue;
    }
    if (typeof value !== "object" || value === null || value instanceof Date) continue;
    if (depth >= MAX_INPUT_DEPTH) return { field: path || "input", message: `must not be nested more than ${MAX_INPUT_DEPTH} levels deep` };
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, v] of entries) {
      const at = path ? `${path}.${key}` : key;
      if (!storableText(key)) return { field: path || "input", message: `keys ${UNSTORABLE_TEXT_RULE}` };
      stack.push({ value: v, path: at, depth: depth + 1 });
    }
  }
  return null;
}

/** Throws a 400 naming the field when `input` holds text PostgreSQL cannot store (see findUnstorableInput). */
export function assertStorableInput(input: unknown): void {
  const problem = findUnstorableInput(input);
  if (problem) throw fieldError(problem.field, problem.message);
}

/**
 * A page cursor that names no row of this list in this tenant. Unknown, expired and
 * another tenant's ids get this same answer, so a cursor never tells whether an id
 * exists elsewhere.
 */
export const unknownCursor = () => fieldError("cursor", "is not a cursor of this list (unknown or expired): start again without one");

/** Parse service input; on failure an AppError whose message names each field and rule. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  assertStorableInput(input);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors = fieldErrorsOf(result.error.issues, "input");
  throw new AppError("BAD_REQUEST", describeFieldErrors(fieldErrors), { fieldErrors });
}
