// Long-polls held by this process, indexed by cluster. One Redis subscription per
// process feeds notify(); a waiter is a timer and a closure, so thousands cost little.
export type WaitOutcome = "published" | "timeout" | "closed" | "recheck";

interface Waiter {
  after: number;
  done: (outcome: WaitOutcome) => void;
}

export class RevisionWaiters {
  private byCluster = new Map<string, Set<Waiter>>();
  private closed = false;

  get size() {
    let n = 0;
    for (const set of this.byCluster.values()) n += set.size;
    return n;
  }

  /**
   * Wait until a revision newer than `after` is announced for the cluster, `timeoutMs`
   * passes, or the process shuts down. Register before checking the latest revision,
   * so an announcement between the check and the wait is not missed.
   */
  wait(clusterId: string, after: number, timeoutMs: number): { promise: Promise<WaitOutcome>; cancel: () => void } {
    if (this.closed) return { promise: Promise.resolve("closed"), cancel: () => {} };
    let waiter!: Waiter;
    const promise = new Promise<WaitOutcome>((resolve) => {
      const timer = setTimeout(() => finish("timeout"), timeoutMs);
      const finish = (outcome: WaitOutcome) => {
        clearTimeout(timer);
        const set = this.byCluster.get(clusterId);
        if (set?.delete(waiter) && set.size === 0) this.byCluster.delete(clusterId);
        resolve(outcome);
      };
      waiter = { after, done: finish };
    });
    let set = this.byCluster.get(clusterId);
    if (!set) this.byCluster.set(clusterId, (set = new Set()));
    set.add(waiter);
    return { promise, cancel: () => waiter.done("closed") };
  }

  /** A revision was announced: wake the cluster's waiters that asked for something older. */
  notify(clusterId: string, revision: number) {
    for (const w of [...(this.byCluster.get(clusterId) ?? [])]) if (revision > w.after) w.done("published");
  }

  /** After the subscription was lost and restored, announcements may have been missed. */
  recheckAll() {
    for (const set of [...this.byCluster.values()]) for (const w of [...set]) w.done("recheck");
  }

  /** Shutdown: every held long-poll answers now (with 204), and new ones return at once. */
  closeAll() {
    this.closed = true;
    for (const set of [...this.byCluster.values()]) for (const w of [...set]) w.done("closed");
  }
}
