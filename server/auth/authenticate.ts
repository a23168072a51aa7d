import { beginAttempt, attemptSucceeded, delayAfter, policyFromEnv, shouldNotify, throttleKeys, type ThrottlePolicy } from "./signin-throttle";
import { writeAudits } from "../audit/write-audit";
import { systemActor } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { logger } from "../platform/logger";
import { normalizeEmail } from "../users/email";
import { verifyPassword } from "../users/password";

export interface AuthenticateOptions {
  /** Clock of the attempt, ms (tests pass their own). */
  now?: number;
  policy?: ThrottlePolicy;
}

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new AppError("TOO_MANY_REQUESTS", `Too many failed sign-ins. Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });

/**
 * Check an email and password. The email is normalised once, here, and that spelling
 * keys both the lookup and the throttle counters. While the account or the address is
 * in its throttle delay the attempt is refused before the password is checked (see
 * auth/signin-throttle.ts).
 */
export async function authenticatePassword(rawEmail: string, password: string, address: string | null, opts: AuthenticateOptions = {}) {
  const email = normalizeEmail(rawEmail);
  const now = opts.now ?? Date.now();
  const policy = opts.policy ?? policyFromEnv();
  const keys = throttleKeys(email, address);
  const attempt = await beginAttempt(keys, now, policy);
  if (!attempt.allowed) throw tooManyAttempts(attempt.retryAfterSeconds);

  const user = await db().user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!ok || !user) {
    if (user && shouldNotify(attempt.accountFailures, policy.free)) {
      await notifyOwner(user.id, user.email, attempt.accountFailures, address, delayAfter(attempt.accountFailures, policy)).catch((err) =>
        logger.error({ err, userId: user.id }, "could not record sign-in throttling"),
      );
    }
    throw new AppError("UNAUTHORIZED", "Wrong email or password.");
  }
  await attemptSucceeded(keys, policy);
  await db().user.update({ where: { id: user.id }, data: { lastLoginAt: new Date(now) } });
  return { id: user.id, email: user.email, name: user.name };
}

/**
 * Tell the account's owner that it is being throttled: an audit row in each of their
 * tenants (the audit log is what they read), or one user-level row when they have none.
 */
async function notifyOwner(userId: string, email: string, failures: number, address: string | null, retryAfterSeconds: number) {
  const memberships = await db().membership.findMany({ where: { userId }, select: { tenantId: true } });
  const actor = { ...systemActor("sign-in throttle"), sourceIp: address };
  const tenants: Array<string | null> = memberships.length ? memberships.map((m) => m.tenantId) : [null];
  const after = { email, failures, lastFrom: address, retryAfterSeconds };
  await writeAudits(
    db(),
    tenants.map((tenantId) => ({ tenantId, actor, action: "user.signin.throttled", targetType: "user", targetId: userId, after })),
  );
  logger.warn({ userId, failures, address }, `${failures} failed sign-ins, the latest from ${address ?? "an unknown address"}; sign-in is being slowed down`);
}
