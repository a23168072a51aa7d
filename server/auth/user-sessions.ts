// Server-side console sessions (OWASP ASVS 3.3). The session cookie is a signed JWT that
// carries only a UserSession id; every request resolves that row, so signing out (or
// "sign out everywhere", or deleting the user) ends the session at once, even for a
// copy of the cookie. Idle and absolute limits are checked here, not trusted to the
// cookie's own expiry.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { db } from "../platform/db/client";
import { env } from "../platform/env";
import type { SessionUser } from "../platform/principals";

// lastSeenAt moves forward at most this often per session: one small conditional write
// every few minutes, not one per request.
const TOUCH_EVERY_MS = 5 * 60_000;

/** Where a sign-in comes from; the auth route handler sets it around next-auth's work. */
export interface SignInOrigin {
  sourceIp: string | null;
  userAgent: string | null;
}
export const signInOrigin = new AsyncLocalStorage<SignInOrigin>();

export async function createUserSession(userId: string, origin: SignInOrigin | undefined, now = new Date()) {
  const id = randomBytes(24).toString("base64url");
  // Housekeeping at the one moment a user's sessions are touched anyway: their ended
  // rows go, so the table holds live sessions (and recent sign-outs) only.
  await db().userSession.deleteMany({ where: { userId, OR: [{ expiresAt: { lt: now } }, { revokedAt: { lt: new Date(now.getTime() - 86_400_000) } }] } });
  await db().userSession.create({
    data: {
      id,
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + env().SESSION_ABSOLUTE_SECONDS * 1000),
      sourceIp: origin?.sourceIp ?? null,
      userAgent: origin?.userAgent?.slice(0, 300) ?? null,
    },
  });
  return id;
}

/** The user of a live session, or null when it is unknown, revoked, idle too long or past its absolute limit. */
export async function resolveUserSession(sessionId: string | undefined, now = new Date()): Promise<SessionUser | null> {
  if (typeof sessionId !== "string" || !sessionId) return null;
  const s = await db().userSession.findUnique({
    where: { id: sessionId },
    select: { revokedAt: true, expiresAt: true, lastSeenAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  if (!s || s.revokedAt || s.expiresAt <= now) return null;
  if (now.getTime() - s.lastSeenAt.getTime() > env().SESSION_IDLE_SECONDS * 1000) return null;
  if (now.getTime() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    // Conditional, so concurrent requests of one session write once.
    await db().userSession.updateMany({ where: { id: sessionId, lastSeenAt: s.lastSeenAt }, data: { lastSeenAt: now } });
  }
  return s.user;
}

export async function revokeUserSession(sessionId: string | undefined, now = new Date()) {
  if (typeof sessionId !== "string" || !sessionId) return;
  await db().userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
}

/** "Sign out everywhere": every live session of the user. Returns how many were ended. */
export async function revokeAllUserSessions(userId: string, now = new Date()) {
  const res = await db().userSession.updateMany({ where: { userId, revokedAt: null, expiresAt: { gt: now } }, data: { revokedAt: now } });
  return res.count;
}
