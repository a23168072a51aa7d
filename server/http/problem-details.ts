// RFC 9457 problem details: the one error body of the REST API (/api/v1). Built from
// the tRPC error a procedure threw, with only what a caller may see: never a
// procedure name, a stack or a database message. The agent protocol keeps its own
// `{ error: { code, message } }` body (protocol/).
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError } from "zod";
import { AppError } from "../platform/errors";
import { describeFieldErrors, fieldErrorsOf } from "../platform/zod-issues";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface Problem {
  /** A URN naming the kind of problem; stable, so clients can branch on it. */
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** Per field (dotted path into the input), the rules it broke. Validation problems only. */
  errors?: Record<string, string[]>;
}

// One type per kind of problem. Titles are fixed per type (RFC 9457 §3.1.3); the detail varies.
const KINDS: Record<string, { slug: string; title: string }> = {
  BAD_REQUEST: { slug: "validation", title: "The request is not valid" },
  PARSE_ERROR: { slug: "malformed-body", title: "The request body is not valid JSON" },
  UNAUTHORIZED: { slug: "unauthorized", title: "Missing or invalid credentials" },
  FORBIDDEN: { slug: "forbidden", title: "Forbidden" },
  NOT_FOUND: { slug: "not-found", title: "Not found" },
  METHOD_NOT_SUPPORTED: { slug: "method-not-allowed", title: "Method not allowed" },
  CONFLICT: { slug: "conflict", title: "Conflict with the current state" },
  PRECONDITION_FAILED: { slug: "precondition-failed", title: "The resource changed" },
  PAYLOAD_TOO_LARGE: { slug: "payload-too-large", title: "The request body is too large" },
  UNSUPPORTED_MEDIA_TYPE: { slug: "unsupported-media-type", title: "Unsupported content type" },
  UNPROCESSABLE_CONTENT: { slug: "validation", title: "The request is not valid" },
  TOO_MANY_REQUESTS: { slug: "rate-limited", title: "Too many requests" },
  TIMEOUT: { slug: "timeout", title: "The request took too long" },
  INTERNAL_SERVER_ERROR: { slug: "internal", title: "Internal server error" },
};
const FALLBACK = KINDS.INTERNAL_SERVER_ERROR!;

export const problemType = (slug: string) => `urn:isthmus:problem:${slug}`;
/** Every `type` the API answers with (documented in the OpenAPI document). */
export const PROBLEM_TYPES = [...new Set(Object.values(KINDS).map((k) => problemType(k.slug)))];

/** Field errors with the full path of each issue ("members.0", "qos.priority"). */
export function zodFieldErrors(err: ZodError): Record<string, string[]> {
  return fieldErrorsOf(err.issues, "input");
}

/**
 * The problem for an error that ended a REST call. Only AppError messages (written for
 * users) and the edge's own errors are shown; anything unexpected is a bare 500.
 */
export function problemFromError(err: unknown, instance?: string): Problem {
  const trpc = err instanceof TRPCError ? err : null;
  const cause = trpc ? trpc.cause : err;
  const code = cause instanceof AppError ? cause.code : (trpc?.code ?? "INTERNAL_SERVER_ERROR");
  const kind = KINDS[code] ?? FALLBACK;
  const status = cause instanceof AppError ? statusOfAppError(cause) : trpc ? getHTTPStatusCodeFromError(trpc) : 500;
  const base = { type: problemType(kind.slug), title: kind.title, status, ...(instance ? { instance } : {}) };
  if (status >= 500)
    return { ...base, type: problemType(FALLBACK.slug), title: FALLBACK.title, detail: "The server could not complete the request. It has been logged." };
  if (cause instanceof ZodError) {
    const errors = zodFieldErrors(cause);
    return { ...base, detail: describeFieldErrors(errors), errors };
  }
  if (cause instanceof AppError) {
    const errors = cause.details?.fieldErrors;
    return { ...base, detail: cause.message, ...(errors ? { errors } : {}) };
  }
  if (trpc?.code === "PARSE_ERROR") return { ...base, detail: "body: is not valid JSON" };
  // The edge's own errors (no route, wrong content type): their messages are ours.
  return { ...base, detail: trpc?.message ?? kind.title };
}

function statusOfAppError(err: AppError): number {
  return getHTTPStatusCodeFromError(new TRPCError({ code: err.code }));
}

export function problemResponse(problem: Problem, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("content-type", PROBLEM_CONTENT_TYPE);
  h.set("cache-control", "no-store");
  return new Response(JSON.stringify(problem), { status: problem.status, headers: h });
}

/** The OpenAPI schema of a problem (components.schemas.Problem). */
export const PROBLEM_SCHEMA = {
  type: "object",
  description: "RFC 9457 problem details. `errors` lists, per field (a dotted path into the input), the rules the value broke.",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string", enum: PROBLEM_TYPES, description: "What kind of problem; stable, branch on this" },
    title: { type: "string", description: "Short summary of the type" },
    status: { type: "integer", description: "The HTTP status code" },
    detail: { type: "string", description: "What went wrong with this request, for people" },
    instance: { type: "string", description: "The request path" },
    errors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
  },
  example: {
    type: problemType("validation"),
    title: "The request is not valid",
    status: 400,
    detail: "name: must not contain NUL or unpaired surrogate characters",
    instance: "/api/v1/slices",
    errors: { name: ["must not contain NUL or unpaired surrogate characters"] },
  },
} as const;
