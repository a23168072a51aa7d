// Sign-in throttling (OWASP ASVS 2.2.1): slow a password guesser down without ever
// locking the account's owner out. Each account and each client address has a counter
// in Redis; after SIGNIN_FREE_FAILURES failures every further attempt must wait
// 2^(failures - free) seconds (1, 2, 4, … up to SIGNIN_MAX_DELAY_SECONDS) after the
// previous one. An attempt inside that wait is refused before the password is checked.
// The owner, from another address, waits at most the capped delay once, signs in, and
// that success clears the account's counter; the guesser's address stays throttled.
//
// Every attempt is counted *before* the password is checked (and given back on
// success), so a burst of parallel guesses cannot all slip through one open window.
import { env } from "../env";
import { key, redis } from "../redis";
import { redisScript } from "../clusters/redis-script";

export interface ThrottlePolicy {
  /** Failures allowed before delays start. */
  free: number;
  /** Longest delay between attempts, seconds. */
  maxDelaySeconds: number;
}

export const policyFromEnv = (): ThrottlePolicy => ({ free: env().SIGNIN_FREE_FAILURES, maxDelaySeconds: env().SIGNIN_MAX_DELAY_SECONDS });

// Counters are forgotten a day after the last attempt.
const TTL_SECONDS = 86_400;

export const throttleKeys = (email: string, address: string | null) => [key("signin", "acct", email), ...(address ? [key("signin", "addr", address)] : [])];

// KEYS: the counters. ARGV: now (ms), free, max delay (ms), ttl (s), reserve (1/0).
// Returns { 0, wait ms } while any counter is in its wait, else { 1, account failures
// including this attempt } (with reserve=0 nothing is counted: a peek).
const ATTEMPT = redisScript(`
local now = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
local maxDelay = tonumber(ARGV[3])
local wait = 0
for _, k in ipairs(KEYS) do
  local untilMs = tonumber(redis.call('HGET', k, 'until') or '0')
  if untilMs - now > wait then wait = untilMs - now end
end
if wait > 0 then return {0, wait} end
if ARGV[5] ~= '1' then return {1, 0} end
local first = 0
for i, k in ipairs(KEYS) do
  local n = redis.call('HINCRBY', k, 'fails', 1)
  if i == 1 then first = n end
  if n >= free then
    redis.call('HSET', k, 'until', now + math.min(2 ^ math.min(n - free, 40) * 1000, maxDelay))
  end
  redis.call('EXPIRE', k, tonumber(ARGV[4]))
end
return {1, first}
`);

// On success: the account starts afresh; the address gets back the attempt counted in
// advance, and its wait only if it is back under the free allowance.
const SUCCEED = redisScript(`
redis.call('DEL', KEYS[1])
if KEYS[2] then
  local n = redis.call('HINCRBY', KEYS[2], 'fails', -1)
  if n < tonumber(ARGV[1]) then redis.call('HDEL', KEYS[2], 'until') end
end
return 1
`);

export type Attempt = { allowed: false; retryAfterSeconds: number } | { allowed: true; accountFailures: number };

/** Count an attempt (before checking the password), or say how long to wait. */
export async function beginAttempt(keys: string[], now: number, policy = policyFromEnv()): Promise<Attempt> {
  const [ok, n] = (await ATTEMPT(redis(), keys, [now, policy.free, policy.maxDelaySeconds * 1000, TTL_SECONDS, 1])) as [number, number];
  return ok ? { allowed: true, accountFailures: n } : { allowed: false, retryAfterSeconds: Math.ceil(n / 1000) };
}

/** Seconds the next attempt must wait (0: may try now); counts nothing. */
export async function waitSeconds(keys: string[], now: number): Promise<number> {
  const [ok, n] = (await ATTEMPT(redis(), keys, [now, 1, 0, TTL_SECONDS, 0])) as [number, number];
  return ok ? 0 : Math.ceil(n / 1000);
}

export async function attemptSucceeded(keys: string[], policy = policyFromEnv()) {
  await SUCCEED(redis(), keys, [policy.free]);
}

/** Whether the owner is told about this failure: when throttling starts, then at each doubling. */
export function shouldNotify(failures: number, free: number): boolean {
  for (let at = free; at <= failures; at *= 2) if (at === failures) return true;
  return false;
}

/** The delay the next attempt faces after `failures` failures. */
export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  return failures < policy.free ? 0 : Math.min(2 ** Math.min(failures - policy.free, 40), policy.maxDelaySeconds);
}
