// `npm start` says "running" only once the console's /api/health answers 200: a 503
// while Redis or the database connection warms up, or no answer at all while the
// server starts, is retried until the deadline.
export interface WaitOptions {
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** Pause between attempts (ms). */
  intervalMs?: number;
  /** Called once if it is still not 200 after `slowAfterMs`, with the last status. */
  onSlow?: (status: number | null) => void;
  slowAfterMs?: number;
  /** Stop early (e.g. the user pressed Ctrl-C). */
  stopped?: () => boolean;
}

/** The last status seen: 200 as soon as it answers so, else what it said last (null: never answered). */
export async function waitForHealth(url: string, o: WaitOptions): Promise<number | null> {
  const started = Date.now();
  const deadline = started + o.timeoutMs;
  let last: number | null = null;
  let told = false;
  while (Date.now() < deadline && !o.stopped?.()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
      last = res.status;
      await res.body?.cancel();
      if (last === 200) return last;
    } catch {
      // Not listening yet.
    }
    if (!told && o.onSlow && Date.now() - started > (o.slowAfterMs ?? 10_000)) {
      o.onSlow(last);
      told = true;
    }
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 500));
  }
  return last;
}
