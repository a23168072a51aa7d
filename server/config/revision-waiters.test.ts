import { describe, expect, test } from "vitest";
import { RevisionWaiters, TICK_MS, type WaitOutcome, type Waiter } from "./revision-waiters";

interface Poll extends Waiter {
  name: string;
}

/** Waiters whose wake-ups are recorded, and a way to wait for one. */
function recorded() {
  const woken: [string, WaitOutcome][] = [];
  const waiters = new RevisionWaiters<Poll>((w, outcome) => woken.push([w.name, outcome]));
  const poll = (name: string, clusterId: string, after: number, timeoutMs = 10_000): Poll => {
    const p = { name, clusterId, after };
    waiters.hold(p, timeoutMs);
    return p;
  };
  const until = async (n: number, limitMs = 5_000) => {
    for (const t0 = Date.now(); woken.length < n && Date.now() - t0 < limitMs;) await new Promise((r) => setTimeout(r, 5));
  };
  return { waiters, woken, poll, until };
}

describe("revision waiters", () => {
  test("a newer revision wakes the cluster's waiters, an older one does not", () => {
    const { waiters, woken, poll } = recorded();
    poll("a", "c1", 3);
    const b = poll("b", "c1", 5);
    const other = poll("other", "c2", 0);
    waiters.notify("c1", 4);
    expect(woken).toEqual([["a", "published"]]);
    expect(waiters.size).toBe(2);
    waiters.notify("c1", 6);
    expect(woken).toEqual([
      ["a", "published"],
      ["b", "published"],
    ]);
    // Woken once only, however often its cluster is announced again.
    waiters.notify("c1", 7);
    waiters.wake(b, "published");
    expect(woken).toHaveLength(2);
    // cancel() stops holding without an answer.
    waiters.cancel(other);
    waiters.notify("c2", 1);
    expect(woken).toHaveLength(2);
    expect(waiters.size).toBe(0);
  });

  test("each poll times out after its own wait, not before", async () => {
    const { woken, poll, until, waiters } = recorded();
    const t0 = performance.now();
    poll("short", "c", 0, 5);
    poll("long", "c", 0, 300);
    await until(1);
    expect(woken).toEqual([["short", "timeout"]]);
    await until(2);
    expect(woken).toEqual([
      ["short", "timeout"],
      ["long", "timeout"],
    ]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
    expect(waiters.size).toBe(0);
  });

  test("a cancelled poll never times out, and the others in its bucket still do", async () => {
    const { waiters, woken, poll, until } = recorded();
    const gone = poll("gone", "c", 0, TICK_MS);
    poll("kept", "d", 0, TICK_MS);
    waiters.cancel(gone);
    await until(1);
    await new Promise((r) => setTimeout(r, 3 * TICK_MS));
    expect(woken).toEqual([["kept", "timeout"]]);
  });

  test("shutdown wakes everything held and anything held later", () => {
    const { waiters, woken, poll } = recorded();
    poll("held", "c", 0);
    waiters.closeAll();
    expect(woken).toEqual([["held", "closed"]]);
    poll("late", "c", 0);
    expect(woken).toEqual([
      ["held", "closed"],
      ["late", "closed"],
    ]);
    expect(waiters.size).toBe(0);
  });

  test("recheckAll wakes every waiter to look again", () => {
    const { waiters, woken, poll } = recorded();
    poll("x", "a", 1);
    poll("y", "b", 1);
    poll("z", "b", 2);
    waiters.recheckAll();
    expect(woken.sort()).toEqual([
      ["x", "recheck"],
      ["y", "recheck"],
      ["z", "recheck"],
    ]);
    expect(waiters.size).toBe(0);
  });
});
