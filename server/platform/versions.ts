// Optimistic concurrency. Every user-editable resource (slice, QoS profile, cluster,
// membership) has a `version` that each change bumps. A writer may say which version it
// last read — `expectedVersion` in tRPC and REST bodies, or an `If-Match` header on REST
// — and the change is refused with PRECONDITION_FAILED (HTTP 412) when the resource has
// moved on since, so automation and the console never overwrite a change they did not see.
//
// On REST the entity tag is the version as a strong tag: `ETag: "7"`. If-Match uses the
// strong comparison (RFC 9110 §13.1.1): `"7"` matches version 7, `*` matches any version
// of a resource that exists, and a weak tag (`W/"7"`) never matches.

import { z } from "zod";
import { AppError } from "./errors";

/** What an If-Match header asked for, already parsed at the HTTP edge. */
export type IfMatch = { any: true } | { tags: string[] } | { invalid: string };

export interface VersionCondition {
  /** The version the caller last read (tRPC and REST bodies). */
  expectedVersion?: number;
  /** The If-Match header of a REST call. */
  ifMatch?: IfMatch;
}

/** The entity tag of a version, as sent in ETag. */
export const etagOf = (version: number) => `"${version}"`;

/**
 * Parse an If-Match field value: `*`, or a comma-separated list of entity tags
 * (`"x"` or `W/"x"`). Undefined when the header is absent.
 */
export function parseIfMatch(value: string | null | undefined): IfMatch | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === "*") return { any: true };
  const tags = trimmed.match(/\s*(W\/)?"[\x21\x23-\x7e\x80-\xff]*"\s*(,|$)/g);
  if (!tags || tags.join("").length !== trimmed.length) return { invalid: value };
  return { tags: tags.map((t) => t.replace(/,$/, "").trim()) };
}

export function staleVersion(what: string, current: number, field: "expectedVersion" | "If-Match") {
  const message = `${what} was changed by someone else (it is now at version ${current}): reload it and apply your change again`;
  return new AppError("PRECONDITION_FAILED", message, { fieldErrors: { [field]: [`does not match the current version ${current}`] } });
}

/**
 * Throw PRECONDITION_FAILED unless the condition holds for a resource at `current`.
 * Call it inside the transaction that holds the resource's row lock, so the version
 * cannot move between the check and the write.
 */
export function assertVersion(what: string, current: number, condition: VersionCondition | undefined) {
  if (!condition) return;
  if (condition.expectedVersion !== undefined && condition.expectedVersion !== current) throw staleVersion(what, current, "expectedVersion");
  const m = condition.ifMatch;
  if (!m || "any" in m) return;
  if ("invalid" in m) {
    throw new AppError("BAD_REQUEST", 'If-Match: must be * or a list of entity tags such as "3"', {
      fieldErrors: { "If-Match": ['must be * or a list of entity tags such as "3"'] },
    });
  }
  // Strong comparison: a weak tag never matches.
  if (!m.tags.includes(etagOf(current))) throw staleVersion(what, current, "If-Match");
}

/** True when a PRECONDITION_FAILED error says the resource changed under the caller. */
export function isStaleVersionError(err: unknown): boolean {
  const fields = err instanceof AppError && err.code === "PRECONDITION_FAILED" ? err.details?.fieldErrors : undefined;
  return !!fields && ("expectedVersion" in fields || "If-Match" in fields);
}

/** The optional `expectedVersion` of a write's input (tRPC and REST bodies). */
export const ZExpectedVersion = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe(
    "The version you last read: the change is refused (412 Precondition Failed) if the resource has changed since. REST clients may send If-Match instead.",
  );

/** The caller's condition: the input's expectedVersion and, on REST, the If-Match header. */
export const conditionOf = (ctx: { ifMatch?: IfMatch }, expectedVersion: number | undefined): VersionCondition => ({ expectedVersion, ifMatch: ctx.ifMatch });
