// Cursor pagination, as every list of the API pages: the cursor is the id of the last
// row of the previous page (opaque to callers, who only pass `nextCursor` back), the
// query fetches one row more than the page holds so that "is there a next page?" costs
// no count, and the order must end in the id so that rows with equal keys never repeat
// or vanish between pages.
import { unknownCursor } from "./validation";

export interface PageInput {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Prisma's `take`, `cursor` and `skip` for the page after `cursor` (the first page without one). */
export function pageArgs(input: PageInput): { take: number } | { take: number; cursor: { id: string }; skip: number } {
  return input.cursor ? { take: input.limit + 1, cursor: { id: input.cursor }, skip: 1 } : { take: input.limit + 1 };
}

/** The page out of rows fetched with `pageArgs`, and the cursor of the next page, null at the end. */
export function pageOf<T extends { id: string }>(rows: readonly T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

/**
 * Refuses a cursor that names no row of this list in this tenant (`find` looks it up
 * with the list's own tenant and parent filters); unknown, expired and another tenant's
 * ids get the same answer, so a cursor never tells whether an id exists elsewhere.
 */
export async function assertKnownCursor(cursor: string | undefined, find: (id: string) => Promise<unknown>): Promise<void> {
  if (cursor && !(await find(cursor))) throw unknownCursor();
}
