import { randomUUID } from "node:crypto";
import { authenticateApiToken } from "../api-tokens/api-tokens";
import { AppError } from "../platform/errors";
import type { RequestContext, SessionUser } from "../platform/principals";
import { clientAddressFromHeaders } from "../http/client-address";

/**
 * Build the context of one API call. A bearer token wins over the session cookie;
 * `getSessionUser` is supplied by the HTTP edge (next-auth), so this stays framework-free.
 */
export async function createRequestContext(opts: { headers: Headers; getSessionUser: () => Promise<SessionUser | null> }): Promise<RequestContext> {
  const base = { sourceIp: clientAddressFromHeaders(opts.headers), requestId: opts.headers.get("x-request-id") ?? randomUUID() };
  const auth = opts.headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) return { ...base, user: null, apiToken: null, authError: new AppError("UNAUTHORIZED", "Authorization header must be `Bearer <token>`") };
    try {
      return { ...base, user: null, apiToken: await authenticateApiToken(m[1]!, base.sourceIp), authError: null };
    } catch (err) {
      if (err instanceof AppError) return { ...base, user: null, apiToken: null, authError: err };
      throw err;
    }
  }
  return { ...base, user: await opts.getSessionUser(), apiToken: null, authError: null };
}
