import { describe, expect, test } from "vitest";
import { tickBatch } from "./tick-batch";

describe("tickBatch", () => {
  test("calls made in one turn run as one batch, answered in order; the next turn is a new batch", async () => {
    const runs: number[][] = [];
    const double = tickBatch<number, number>(async (xs) => {
      runs.push(xs);
      return xs.map((x) => x * 2);
    }, 100);
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(await double(4)).toBe(8);
    expect(runs).toEqual([[1, 2, 3], [4]]);
  });

  test("a turn with more than maxBatch calls is split", async () => {
    const runs: number[][] = [];
    const echo = tickBatch<number, number>(async (xs) => (runs.push(xs), xs), 2);
    expect(await Promise.all([1, 2, 3, 4, 5].map(echo))).toEqual([1, 2, 3, 4, 5]);
    expect(runs).toEqual([[1, 2], [3, 4], [5]]);
  });

  test("a failed run rejects the calls of its own batch only", async () => {
    const f = tickBatch<number, number>(async (xs) => {
      if (xs.includes(13)) throw new Error("unlucky");
      return xs;
    }, 2);
    const settled = await Promise.allSettled([1, 13, 3].map(f));
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected", "fulfilled"]);
    expect((settled[0] as PromiseRejectedResult).reason.message).toBe("unlucky");
  });

  test("a run that answers too few results rejects the calls left without one", async () => {
    const f = tickBatch<number, number>(async (xs) => xs.slice(1), 10);
    const settled = await Promise.allSettled([1, 2].map(f));
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected"]);
  });

  test("with a window, calls of several turns within it run as one batch", async () => {
    const runs: number[][] = [];
    const echo = tickBatch<number, number>(async (xs) => (runs.push(xs), xs), 100, 200);
    const first = echo(1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const second = echo(2);
    expect(runs).toEqual([]);
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(runs).toEqual([[1, 2]]);
  });

  test("with a window, a batch that reaches maxBatch runs at once", async () => {
    const runs: number[][] = [];
    const echo = tickBatch<number, number>(async (xs) => (runs.push(xs), xs), 2, 60_000);
    const answers = [1, 2].map(echo);
    // Run by the call that filled it, not by the minute-long window's timer.
    expect(runs).toEqual([[1, 2]]);
    expect(await Promise.all(answers)).toEqual([1, 2]);
  });
});
