// Turns a failed tRPC call into what a form shows: a message for the form and one
// message per field. The server sends `data.fieldErrors` (zod's flattened errors or a
// service's AppError details) whose messages are fragments such as
// "must be at least 2 characters", written to follow the field's name.
import { TRPCClientError } from "@trpc/client";

export type FieldErrors = Record<string, string[] | undefined>;

export interface FormError {
  message: string;
  fieldErrors: FieldErrors;
  code: string | null;
}

export function toFormError(err: unknown): FormError {
  if (err instanceof TRPCClientError) {
    const data = err.data as { fieldErrors?: FieldErrors | null; code?: string } | undefined;
    const fieldErrors = data?.fieldErrors ?? {};
    const hasFields = Object.values(fieldErrors).some((v) => v && v.length > 0);
    // Input validation failures carry zod's JSON as their message: never show that.
    const raw = err.message.trim();
    const looksLikeJson = raw.startsWith("[") || raw.startsWith("{");
    const message = hasFields ? (looksLikeJson ? "Check the highlighted fields." : stripFieldPrefix(raw)) : looksLikeJson ? "The request was not valid." : raw;
    return { message, fieldErrors, code: data?.code ?? null };
  }
  if (err instanceof Error) return { message: err.message || "Something went wrong.", fieldErrors: {}, code: null };
  return { message: "Something went wrong.", fieldErrors: {}, code: null };
}

// "slug: \"x\" is already taken" → "Slug \"x\" is already taken".
function stripFieldPrefix(message: string): string {
  const m = /^([a-zA-Z.]+): (.*)$/s.exec(message);
  if (!m) return message;
  const field = m[1]!.split(".").pop()!;
  return `${humanize(field)} ${m[2]}`;
}

export function humanize(field: string): string {
  const words = field.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The message for one field, with the field's label in front ("Slug is already taken"). */
export function fieldMessage(errors: FieldErrors | undefined, field: string, label: string): string | undefined {
  const list = errors?.[field];
  if (!list || list.length === 0) return undefined;
  return list.map((m) => (/^[A-Z]/.test(m) ? m : `${label} ${m}`)).join(". ");
}
