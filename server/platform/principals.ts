// Who calls the API: a signed-in user, or an API token of one tenant. Built at the HTTP
// edge (server/trpc/context.ts) and read by every layer below it, so it lives here.
import type { AppError } from "./errors";
import type { Role } from "./roles";
import type { IfMatch } from "./versions";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
}

export interface ApiTokenPrincipal {
  id: string;
  name: string;
  role: Role;
  tenant: { id: string; slug: string; name: string };
}

export interface RequestContext {
  user: SessionUser | null;
  apiToken: ApiTokenPrincipal | null;
  /** Set when a bearer token was presented but is not valid: never fall back to the session. */
  authError: AppError | null;
  sourceIp: string | null;
  requestId: string;
  /** REST only: the If-Match header, parsed (server/http/preconditions.ts). */
  ifMatch?: IfMatch;
}
