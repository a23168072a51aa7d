import { AppError } from "../errors";
import { db } from "../db/client";
import { env } from "../env";
import { key, redis } from "../redis";
import { verifyPassword } from "./password";

const WINDOW_SECONDS = 3600;

function counters(email: string, ip: string | null) {
  const keys = [key("login-fail", "acct", email.toLowerCase())];
  if (ip) keys.push(key("login-fail", "ip", ip));
  return keys;
}

/**
 * Check an email and password. Failures are counted per account and per source IP in
 * Redis for an hour; past the limit every attempt is refused before the password is
 * even checked, so guessing cannot continue.
 */
export async function authenticatePassword(email: string, password: string, ip: string | null) {
  const limit = env().LOGIN_FAILURES_PER_HOUR;
  const keys = counters(email, ip);
  const counts = await redis().mget(...keys);
  if (counts.some((c) => Number(c ?? 0) >= limit)) {
    throw new AppError("TOO_MANY_REQUESTS", "Too many failed sign-ins. Try again in an hour.", {
      retryAfterSeconds: WINDOW_SECONDS,
    });
  }
  const user = await db().user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!ok || !user) {
    const pipe = redis().multi();
    for (const k of keys) pipe.incr(k).expire(k, WINDOW_SECONDS, "NX");
    await pipe.exec();
    throw new AppError("UNAUTHORIZED", "Wrong email or password.");
  }
  await db().user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { id: user.id, email: user.email, name: user.name };
}
