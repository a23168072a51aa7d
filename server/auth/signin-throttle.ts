// Sign-in throttling (OWASP ASVS 2.2.1): slow a password guesser down without ever
// locking the account's owner out. Each account and each client address has a counter
// in Redis; after SIGNIN_FREE_FAILURES failures (four times as many for an address)
// every further attempt must wait
// 2^(failures - free) seconds (1, 2, 4, … up to SIGNIN_MAX_DELAY_SECONDS) after the
// previous one. An attempt inside that wait is refused before the password is checked.
// The owner, from another address, waits at most the capped delay once, signs in, and
// that success clears the account's counter; the guesser's address stays throttled.
//
// Every attempt is counted *before* the password is checked (and given back on
// success), so a burst of parallel guesses cannot all slip through one open window.
import { env } from "../platform/env";
import { key, redis } from "../platform/redis";
import { redisScript } from "../platform/redis-script";

export interface ThrottlePolicy {
  /** Failures allowed before delays start. */
  free: number;
  /** Longest delay between attempts, seconds. */
  maxDelaySeconds: number;
}

export const policyFromEnv = (): ThrottlePolicy => ({ free: env().SIGNIN_FREE_FAILURES, maxDelaySeconds: env().SIGNIN_MAX_DELAY_SECONDS });

// An account's counter is forgotten a day after its last failure. An address is shared
// by everyone behind one NAT, whose typos add up: it gets more free failures and
// forgets them within the hour.
const ACCOUNT_TTL_SECONDS = 86_400;
const ADDRESS_TTL_SECONDS = 3_600;
const ADDRESS_FREE_FACTOR = 4;

export const throttleKeys = (email: string, address: string | null) => [key("signin", "acct", email), ...(address ? [key("signin", "addr", address)] : [])];

// Per key (account first, then the address): its free failures and its time to live.
const perKey = (keys: string[], policy: ThrottlePolicy) =>
  keys.flatMap((_k, i) => (i === 0 ? [policy.free, ACCOUNT_TTL_SECONDS] : [policy.free * ADDRESS_FREE_FACTOR, ADDRESS_TTL_SECONDS]));

// KEYS: the counters. ARGV: now (ms), max delay (ms), reserve (1/0), then free failures
// and ttl (s) of each key. Returns { 0, wait ms } while any counter is in its wait,
// else { 1, account failures including this attempt } (reserve=0 counts nothing).
const ATTEMPT = redisScript(`
local now = tonumber(ARGV[1])
local maxDelay = tonumber(ARGV[2])
local wait = 0
for _, k in ipairs(KEYS) do
  local untilMs = tonumber(redis.call('HGET', k, 'until') or '0')
  if untilMs - now > wait then wait = untilMs - now end
end
if wait > 0 then return {0, wait} end
if ARGV[3] ~= '1' then return {1, 0} end
local first = 0
for i, k in ipairs(KEYS) do
  local free = tonumber(ARGV[2 + 2 * i])
  local n = redis.call('HINCRBY', k, 'fails', 1)
  if i == 1 then first = n end
  if n >= free then
    redis.call('HSET', k, 'until', now + math.min(2 ^ math.min(n - free, 40) * 1000, maxDelay))
  end
  redis.call('EXPIRE', k, tonumber(ARGV[3 + 2 * i]))
end
return {1, first}
`);

// On success: the account starts afresh; the address gets back the attempt counted in
// advance, and its wait only if it is back under its free allowance.
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
  const [ok, n] = (await ATTEMPT(redis(), keys, [now, policy.maxDelaySeconds * 1000, 1, ...perKey(keys, policy)])) as [number, number];
  return ok ? { allowed: true, accountFailures: n } : { allowed: false, retryAfterSeconds: Math.ceil(n / 1000) };
}

/** Seconds the next attempt must wait (0: may try now); counts nothing. */
export async function waitSeconds(keys: string[], now: number): Promise<number> {
  const [ok, n] = (await ATTEMPT(redis(), keys, [now, 0, 0])) as [number, number];
  return ok ? 0 : Math.ceil(n / 1000);
}

export async function attemptSucceeded(keys: string[], policy = policyFromEnv()) {
  await SUCCEED(redis(), keys, [policy.free * ADDRESS_FREE_FACTOR]);
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
