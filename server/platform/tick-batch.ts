// Calls made during one turn of the event loop (or, with a window, within a few
// milliseconds of the first), run as one batch. The agent API reads many requests in one
// turn under load; one Redis script call for all of their heartbeats costs a fraction of
// one call each (a command object, its promise and its reply per heartbeat were a large
// share of the process's CPU and garbage).
export type BatchRunner<T, R> = (items: T[]) => Promise<R[]>;

interface Pending<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

/**
 * A function that queues `item` and resolves with its result once `run` has taken the
 * batch: at most `maxBatch` items per call of `run`, which must answer one result per
 * item, in order. A failed run rejects every call of its batch. With `windowMs` > 0 a
 * batch is run `windowMs` after its first call, or at once when it reaches `maxBatch`,
 * instead of at the end of the turn.
 */
export function tickBatch<T, R>(run: BatchRunner<T, R>, maxBatch: number, windowMs = 0): (item: T) => Promise<R> {
  let queue: Array<Pending<T, R>> = [];
  // A flush is due: at the end of this turn (setImmediate), or when the window's timer fires.
  let scheduled = false;
  let timer: NodeJS.Timeout | undefined;

  function settle(part: Array<Pending<T, R>>) {
    run(part.map((p) => p.item)).then(
      (results) => {
        for (let i = 0; i < part.length; i++) {
          if (i < results.length) part[i]!.resolve(results[i]!);
          else part[i]!.reject(new Error(`batch answered ${results.length} results for ${part.length} items`));
        }
      },
      (err: unknown) => {
        for (const p of part) p.reject(err);
      },
    );
  }

  function flush() {
    scheduled = false;
    clearTimeout(timer);
    const all = queue;
    queue = [];
    for (let i = 0; i < all.length; i += maxBatch) settle(all.length <= maxBatch ? all : all.slice(i, i + maxBatch));
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (windowMs > 0 && queue.length >= maxBatch) return flush();
      if (scheduled) return;
      scheduled = true;
      // setImmediate, not nextTick: every request read in this turn's poll phase has
      // queued its item by the time the check phase runs.
      if (windowMs > 0) timer = setTimeout(flush, windowMs);
      else setImmediate(flush);
    });
}
