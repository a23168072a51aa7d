import { describe, expect, test } from "vitest";
import { RevisionWaiters } from "./revision-waiters";

describe("revision waiters", () => {
  test("a newer revision wakes the cluster's waiters, an older one does not", async () => {
    const w = new RevisionWaiters();
    const a = w.wait("c1", 3, 10_000);
    const b = w.wait("c1", 5, 10_000);
    const other = w.wait("c2", 0, 10_000);
    w.notify("c1", 4);
    expect(await a.promise).toBe("published");
    expect(w.size).toBe(2);
    w.notify("c1", 6);
    expect(await b.promise).toBe("published");
    other.cancel();
    expect(await other.promise).toBe("closed");
    expect(w.size).toBe(0);
  });

  test("timeout, and shutdown answers everything held and anything new", async () => {
    const w = new RevisionWaiters();
    expect(await w.wait("c", 0, 5).promise).toBe("timeout");
    const held = w.wait("c", 0, 10_000);
    w.closeAll();
    expect(await held.promise).toBe("closed");
    expect(await w.wait("c", 0, 10_000).promise).toBe("closed");
  });

  test("recheckAll wakes every waiter to look again", async () => {
    const w = new RevisionWaiters();
    const x = w.wait("a", 1, 10_000);
    const y = w.wait("b", 1, 10_000);
    w.recheckAll();
    expect([await x.promise, await y.promise]).toEqual(["recheck", "recheck"]);
  });
});
