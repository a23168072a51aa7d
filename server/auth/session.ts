// Session lookup for Next.js server code (route handlers, server components).
import { getToken } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { env } from "../platform/env";
import type { SessionUser } from "../platform/principals";
import { sessionUserFromToken } from "./next-auth";

export async function currentUser(): Promise<SessionUser | null> {
  const h = await headers();
  const c = await cookies();
  const req = { headers: Object.fromEntries(h.entries()), cookies: Object.fromEntries(c.getAll().map((x) => [x.name, x.value])) };
  const token = await getToken({ req: req as never, secret: env().NEXTAUTH_SECRET ?? "isthmus-development-secret-change-me" });
  return sessionUserFromToken(token as { sid?: unknown } | null);
}
