// Conditional requests on the REST edge (RFC 9110 §8.8.3, §13.1.1): every answer that
// carries a resource's `version` also carries it as `ETag: "<version>"`, and the
// If-Match header reaches the procedure as `ctx.ifMatch`, which services check inside
// the transaction that holds the resource's lock (server/platform/versions.ts). Kept apart from
// the REST handler so the handler only wires it in.
import { z } from "zod";
import type { RequestContext } from "../platform/principals";
import { etagOf, parseIfMatch } from "../platform/versions";

/** The request's If-Match, parsed, on the context (absent when the header is). */
export function withPreconditions(req: Request, ctx: RequestContext): RequestContext {
  const ifMatch = parseIfMatch(req.headers.get("if-match"));
  return ifMatch ? { ...ctx, ifMatch } : ctx;
}

type ResponseMeta = (opts: { paths?: readonly string[]; errors: readonly unknown[]; data?: readonly unknown[] }) => {
  status?: number;
  headers?: Record<string, string>;
};

/** A responseMeta that adds `ETag` to a successful answer whose body has a numeric `version`. */
export function withEntityTags(inner: ResponseMeta): ResponseMeta {
  return (opts) => {
    const meta = inner(opts);
    if (opts.errors.length > 0 || opts.data?.length !== 1) return meta;
    const version = (opts.data[0] as { version?: unknown } | null | undefined)?.version;
    if (typeof version !== "number" || !Number.isInteger(version)) return meta;
    return { ...meta, headers: { ...meta.headers, etag: etagOf(version) } };
  };
}

/**
 * OpenAPI meta of a versioned resource's operations, so automation knows the protocol:
 * reads and writes answer ETag; PATCH and DELETE honour If-Match and answer 412.
 */
export const versionedRead = {
  responseHeaders: z.object({
    ETag: z
      .string()
      .describe('The resource\'s version as a strong entity tag, e.g. "3". Send it back in If-Match to change the resource only if nobody else has since.'),
  }),
};

const STALE =
  "Precondition Failed: the resource changed since the version in If-Match or expectedVersion (the problem's `errors` name which); nothing was changed. Read it again and reapply the change. (A slice change also answers 412 when an involved cluster is not available; `force` overrides that one.)";

/** The default error responses of a protected operation with inputs, plus 412. */
const errorResponses = {
  400: "Invalid input data",
  401: "Authorization not provided",
  403: "Insufficient access",
  404: "Not found",
  412: STALE,
  500: "Internal server error",
};

export const versionedWrite = {
  ...versionedRead,
  errorResponses,
  requestHeaders: z.object({
    "If-Match": z
      .string()
      .optional()
      .describe(
        'Change the resource only if its current ETag is one of these (e.g. "3"), or if it exists at all (*). Otherwise 412 Precondition Failed, and nothing changes. Weak tags (W/"3") never match.',
      ),
  }),
};

export const versionedDelete = { requestHeaders: versionedWrite.requestHeaders, errorResponses };
