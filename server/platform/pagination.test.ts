import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { assertKnownCursor, pageArgs, pageOf } from "./pagination";

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `r${i}` }));

describe("cursor pagination", () => {
  it("asks for one row more than the page, after the cursor's row", () => {
    expect(pageArgs({ limit: 2 })).toEqual({ take: 3 });
    expect(pageArgs({ limit: 2, cursor: "r1" })).toEqual({ take: 3, cursor: { id: "r1" }, skip: 1 });
  });

  it("names the last row of a full page as the next cursor, and none at the end", () => {
    expect(pageOf(rows(3), 2)).toEqual({ items: rows(2), nextCursor: "r1" });
    expect(pageOf(rows(2), 2)).toEqual({ items: rows(2), nextCursor: null });
    expect(pageOf([], 2)).toEqual({ items: [], nextCursor: null });
  });

  it("refuses a cursor the list does not know, by field", async () => {
    await expect(assertKnownCursor(undefined, async () => null)).resolves.toBeUndefined();
    await expect(assertKnownCursor("r1", async (id) => (id === "r1" ? { id } : null))).resolves.toBeUndefined();
    const err = await assertKnownCursor("elsewhere", async () => null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/^cursor: /);
  });
});
