// A closed minute's spool chunks (every agent API's pushes, sample-spool.ts) summed per
// link end and written to the 1-minute table.
//
// One worker per minute: a link end's samples of a minute may lie in any chunk, pushed by
// any agent API process, so the minute is summed whole before a row is written. The worker
// holds the minute's lock while it works (renewing it at every step); others skip the
// minute. Reading and writing are spread until the minute's deadline (as the bucket flush
// spreads its shares: 10,000 clusters' minute written in one burst slowed the agent API
// on the same cores), then the chunks summed are trimmed from the list.
//
// Faults: a worker that dies mid-way leaves the list and its lock, which expires after
// LOCK_MS; the next run sums the minute again and writes what is missing (a row already
// there stays: ON CONFLICT DO NOTHING, the same samples). A worker that was only slow
// finds the lock gone at its next step and stops, trimming nothing. A chunk pushed after
// the minute was summed (an agent API that could not reach Redis until then) is left in
// the list and written at the next run, for the link ends that had no row yet.
import { randomBytes } from "node:crypto";
import { redis } from "../platform/redis";
import { insertRollupRows, type EndRow } from "./insert-rollup-rows";
import type { GatewayKeys } from "./keys";
import { parseSpoolChunk, type EndSums } from "./sample-codec";

/** How long a minute stays claimed by a worker that stopped answering. */
export const LOCK_MS = 90_000;
/** Chunks read per round trip (~2 MB). */
const READ_CHUNKS = 8;
/** The longest pause between two batches of rows. */
const MAX_PAUSE_MS = 1_000;

// Extends the lock when this worker still holds it; false when another took it over.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const renew = async (lock: string, token: string) => (await redis().eval(RENEW, 1, lock, token, LOCK_MS)) === 1;

/** Waits, then renews the lock; false when the minute is no longer this worker's. */
async function pauseHolding(lock: string, token: string, ms: number): Promise<boolean> {
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  return renew(lock, token);
}

export interface FlushSpoolOptions {
  /** The flush's clock (ms). */
  now: number;
  /** When the minute's last row must be written (ms): batches are spread until then. */
  deadline: number;
  batchSize: number;
}

/** Sums one minute's spool and writes its rows; returns how many were written (0 when none, or another worker holds the minute). */
export async function flushSpoolMinute(keys: GatewayKeys, minute: number, bucketAt: Date, opts: FlushSpoolOptions): Promise<number> {
  const list = keys.spool(minute);
  const lock = keys.spoolLock(minute);
  const n = await redis().llen(list);
  if (n === 0) return 0;
  const token = randomBytes(12).toString("base64url");
  if ((await redis().set(lock, token, "PX", LOCK_MS, "NX")) !== "OK") return 0;
  try {
    // Spread over the time left before the deadline, a half for reading and a half for
    // writing: summed in one go, 5,000 heartbeats/s made a minute of ~140 MB to read
    // and parse, a burst of this process and Redis on the agent API's cores.
    const started = Date.now();
    const left = () => opts.deadline - opts.now - (Date.now() - started);
    const groups = Math.ceil(n / READ_CHUNKS);
    const readPause = groups > 1 ? Math.min(MAX_PAUSE_MS, Math.max(0, left() / 2 / groups)) : 0;
    const ends: EndSums = new Map();
    for (let g = 0; g < groups; g++) {
      if (g > 0 && !(await pauseHolding(lock, token, readPause))) return 0;
      for (const chunk of await redis().lrangeBuffer(list, g * READ_CHUNKS, Math.min(n, (g + 1) * READ_CHUNKS) - 1)) parseSpoolChunk(chunk, ends);
    }
    const rows: EndRow[] = [];
    for (const [end, links] of ends) {
      const [clusterId = "", tenantId = ""] = end.split(" ");
      for (const [linkId, acc] of links) rows.push({ tenantId, clusterId, linkId, acc });
    }
    const batches = Math.ceil(rows.length / opts.batchSize);
    const writePause = batches > 1 ? Math.min(MAX_PAUSE_MS, Math.max(0, left() / batches)) : 0;
    let written = 0;
    for (let b = 0; b < batches; b++) {
      if (b > 0 && !(await pauseHolding(lock, token, writePause))) return written;
      written += await insertRollupRows(bucketAt, rows.slice(b * opts.batchSize, (b + 1) * opts.batchSize));
    }
    // Only while the minute is still ours: a worker that lost it (past LOCK_MS) leaves
    // the list to the one that took it over, which trims what it summed.
    if (await renew(lock, token)) await redis().ltrim(list, n, -1);
    return written;
  } finally {
    await redis()
      .eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, lock, token)
      .catch(() => {});
  }
}
