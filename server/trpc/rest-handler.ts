// The REST edge (/api/v1): the OpenAPI handler generated from the tRPC procedures,
// with the body capped before it is read and every error answered as RFC 9457 problem
// details (server/http/problem-details.ts) instead of the adapter's tRPC error shape,
// which names the procedure and passes messages through.
import { createOpenApiFetchHandler } from "trpc-to-openapi";
import { AppError } from "../platform/errors";
import { MAX_API_BODY_BYTES, withBoundedBody } from "../http/body-limit";
import { withEntityTags, withPreconditions } from "../http/preconditions";
import { problemFromError, problemResponse } from "../http/problem-details";
import { logger } from "../platform/logger";
import type { RequestContext } from "../platform/principals";
import { successStatusMeta } from "./rest-status";
import { appRouter } from "./root";

const responseMeta = withEntityTags(successStatusMeta(appRouter));

export interface RestOptions {
  /** Where the API is mounted (the path prefix the handler strips). */
  endpoint?: `/${string}`;
  createContext: (req: Request) => Promise<RequestContext>;
  maxBodyBytes?: number;
}

function errorHeaders(err: unknown): Record<string, string> {
  const app = err instanceof AppError ? err : (err as { cause?: unknown } | null)?.cause;
  const retry = app instanceof AppError ? app.details?.retryAfterSeconds : undefined;
  return retry ? { "retry-after": String(retry) } : {};
}

function logIfInternal(err: unknown, status: number, path: string | undefined, req: Request) {
  if (status < 500) return;
  const e = err as { message?: string; cause?: { message?: string } } | null;
  logger.error({ path, method: req.method, url: new URL(req.url).pathname, err: e?.cause?.message ?? e?.message }, "REST call failed");
}

export async function handleRest(rawReq: Request, opts: RestOptions): Promise<Response> {
  const endpoint = opts.endpoint ?? "/api/v1";
  const instance = new URL(rawReq.url).pathname;
  let failure: { error: unknown; path?: string } | null = null;
  try {
    const req = await withBoundedBody(rawReq, opts.maxBodyBytes ?? MAX_API_BODY_BYTES);
    const res = await createOpenApiFetchHandler({
      endpoint,
      router: appRouter,
      req,
      responseMeta,
      createContext: async () => withPreconditions(req, await opts.createContext(req)),
      onError: ({ error, path }) => {
        failure = { error, path };
      },
    });
    if (res.status < 400) return res;
    const caught = failure as { error: unknown; path?: string } | null;
    // The adapter's status stays authoritative (responseMeta may set it); a 5xx says nothing inside.
    const problem = { ...problemFromError(res.status >= 500 ? null : caught?.error, instance), status: res.status };
    logIfInternal(caught?.error, res.status, caught?.path, rawReq);
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    for (const [k, v] of Object.entries(errorHeaders(caught?.error))) headers.set(k, v);
    return problemResponse(problem, headers);
  } catch (err) {
    const problem = problemFromError(err, instance);
    logIfInternal(err, problem.status, undefined, rawReq);
    return problemResponse(problem, errorHeaders(err));
  }
}
