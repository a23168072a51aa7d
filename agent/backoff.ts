export const MAX_BACKOFF_MS = 120_000;

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (0-based): exponential, capped, with "equal
 * jitter" — half fixed, half random — so thousands of agents that lost the same
 * control plane do not come back in lock-step, yet none retries immediately.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 1000;
  const cap = Math.min(opts.capMs ?? MAX_BACKOFF_MS, MAX_BACKOFF_MS);
  const random = opts.random ?? Math.random;
  const exp = Math.min(cap, base * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener("abort", done, { once: true });
  });
}
