// Long-polls held by this process, indexed by cluster. One Redis subscription per
// process feeds notify(). A held poll is the holder's own small object and nothing
// else: no promise, no closure, no timer of its own. Timeouts come from one shared
// timer that sweeps 100 ms buckets. That matters at 10,000 clusters: every re-issued
// poll lives up to a minute, so everything it holds is promoted to the old generation
// and marked by the next major GC, and the agent API's major GCs were what its
// heartbeats waited on.
export type WaitOutcome = "published" | "timeout" | "closed" | "recheck";

/** What a held long-poll needs here; the holder adds its own fields. */
export interface Waiter {
  readonly clusterId: string;
  /** Wake only for a revision newer than this. */
  readonly after: number;
  /** Set by hold(): the bucket it times out in; -1 once woken or cancelled. */
  dueTick?: number;
}

/** Timeouts fire at most this late. */
export const TICK_MS = 100;

export class RevisionWaiters<W extends Waiter = Waiter> {
  private byCluster = new Map<string, W | W[]>();
  private buckets = new Map<number, Set<W>>();
  private sweptTick = 0;
  private sweeper: NodeJS.Timeout | null = null;
  private held = 0;
  private closed = false;

  /** `onWake` answers a woken poll; it runs once per poll and is not called for cancel(). */
  constructor(private readonly onWake: (waiter: W, outcome: WaitOutcome) => void) {}

  get size() {
    return this.held;
  }

  /**
   * Hold `w` until a revision newer than `w.after` is announced for its cluster,
   * `timeoutMs` passes, or the process shuts down; then onWake runs with the outcome.
   * Register before checking the latest revision, so an announcement between the check
   * and the wait is not missed. After closeAll() it is woken ("closed") at once.
   */
  hold(w: W, timeoutMs: number) {
    if (this.closed) {
      w.dueTick = -1;
      return this.onWake(w, "closed");
    }
    if (!this.sweeper) {
      this.sweptTick = Math.floor(performance.now() / TICK_MS);
      this.sweeper = setInterval(() => this.sweep(), TICK_MS);
      this.sweeper.unref();
    }
    // Never a bucket the sweep has passed.
    const tick = Math.max(this.sweptTick + 1, Math.ceil((performance.now() + timeoutMs) / TICK_MS));
    w.dueTick = tick;
    let bucket = this.buckets.get(tick);
    if (!bucket) this.buckets.set(tick, (bucket = new Set()));
    bucket.add(w);
    const there = this.byCluster.get(w.clusterId);
    if (there === undefined) this.byCluster.set(w.clusterId, w);
    else if (Array.isArray(there)) there.push(w);
    else this.byCluster.set(w.clusterId, [there, w]);
    this.held++;
  }

  /** Stop holding `w` without answering it (its agent hung up, or it was answered otherwise). */
  cancel(w: W) {
    this.release(w);
  }

  /** Wake `w` now with `outcome` (no-op when it is no longer held). */
  wake(w: W, outcome: WaitOutcome) {
    if (this.release(w)) this.onWake(w, outcome);
  }

  /** A revision was announced: wake the cluster's waiters that asked for something older. */
  notify(clusterId: string, revision: number) {
    const there = this.byCluster.get(clusterId);
    if (there === undefined) return;
    for (const w of Array.isArray(there) ? [...there] : [there]) if (revision > w.after) this.wake(w, "published");
  }

  /** After the subscription was lost and restored, announcements may have been missed. */
  recheckAll() {
    for (const w of this.all()) this.wake(w, "recheck");
  }

  /** Shutdown: every held long-poll is woken ("closed"), and new ones are at once. */
  closeAll() {
    this.closed = true;
    for (const w of this.all()) this.wake(w, "closed");
  }

  private all(): W[] {
    const out: W[] = [];
    for (const there of this.byCluster.values()) {
      if (Array.isArray(there)) out.push(...there);
      else out.push(there);
    }
    return out;
  }

  /** Take `w` out of the index and its bucket; false when it was not held. */
  private release(w: W): boolean {
    const tick = w.dueTick;
    if (tick === undefined || tick < 0) return false;
    w.dueTick = -1;
    this.held--;
    const bucket = this.buckets.get(tick);
    if (bucket?.delete(w) && bucket.size === 0) this.buckets.delete(tick);
    const there = this.byCluster.get(w.clusterId);
    if (there === w) this.byCluster.delete(w.clusterId);
    else if (Array.isArray(there)) {
      const i = there.indexOf(w);
      if (i >= 0) there.splice(i, 1);
      if (there.length === 1) this.byCluster.set(w.clusterId, there[0]!);
    }
    if (this.buckets.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
    return true;
  }

  private sweep() {
    // Every bucket up to now, including any a blocked event loop skipped.
    const now = Math.floor(performance.now() / TICK_MS);
    for (let t = this.sweptTick + 1; t <= now; t++) {
      const bucket = this.buckets.get(t);
      if (bucket) for (const w of [...bucket]) this.wake(w, "timeout");
    }
    this.sweptTick = now;
  }
}
