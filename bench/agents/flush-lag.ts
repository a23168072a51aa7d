// Flush lag at fleet scale (issue 18 §Numbers: every sample in a 1-minute rollup row ≤ 70 s
// after its minute closes). The minute flush removes a minute from the gateway minutes set
// only once its last bucket's rows are written (server/gateways/flush-minutes.ts), so the
// time a minute leaves that set, less the time it closed, is when its last sample reached
// PostgreSQL. Polled every 500 ms: each figure is late by at most that.
import type { Redis } from "ioredis";

export interface MinuteLag {
  minute: number;
  /** Seconds from the minute's close to its last rows; null when not yet written. */
  lagS: number | null;
}

export class FlushLagWatch {
  private readonly pending = new Set<number>();
  private readonly done = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  /** Minutes before the one the watch started in are someone else's (a shared Redis). */
  private firstMinute = Infinity;

  constructor(
    private readonly redis: Redis,
    private readonly minutesKey: string,
  ) {}

  start(): void {
    this.firstMinute = Math.floor(Date.now() / 60_000);
    this.timer = setInterval(() => void this.poll(), 500);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = Date.now();
      const present = new Set((await this.redis.zrange(this.minutesKey, "0", "-1")).map(Number));
      for (const m of present) if (m >= this.firstMinute && !this.done.has(m)) this.pending.add(m);
      for (const m of [...this.pending])
        if (!present.has(m)) {
          this.pending.delete(m);
          this.done.set(m, now);
        }
    } catch {
      // A failed poll is retried at the next tick; a figure is then late by one more.
    } finally {
      this.busy = false;
    }
  }

  /** Waits (at most until each minute's 70 s deadline has passed, plus a poll) until every minute closed by `closedBy` (ms) is written. */
  async settle(closedBy: number): Promise<void> {
    const open = () => [...this.pending].filter((m) => (m + 1) * 60_000 <= closedBy);
    const deadline = Math.max(0, ...open().map((m) => (m + 1) * 60_000 + 71_000));
    while (open().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  }

  /** Every minute seen that had closed by `closedBy`, oldest first. */
  lags(closedBy: number): MinuteLag[] {
    const minutes = [...new Set([...this.pending, ...this.done.keys()])].filter((m) => (m + 1) * 60_000 <= closedBy).sort((a, b) => a - b);
    return minutes.map((minute) => {
      const at = this.done.get(minute);
      return { minute, lagS: at === undefined ? null : (at - (minute + 1) * 60_000) / 1000 };
    });
  }
}
