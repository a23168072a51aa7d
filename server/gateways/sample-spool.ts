// The agent API's side of gateway history: every accepted heartbeat's samples go into this
// process's spool, in memory, and the spool pushes them to Redis once a second, one chunk
// per minute per push (RPUSH to that minute's list; the workers sum and write each closed
// minute, flush-spool.ts). So history costs a heartbeat ~1 µs of packing and nothing in
// Redis, where appending each heartbeat's samples to its cluster's bucket inside the
// heartbeat script (the previous design) cost ~4 µs of the agent API and ~5 µs of Redis per
// heartbeat: 8-13 % of the agent benchmark's ceiling on two cores (bench/README.md,
// "Gateway history off the heartbeat's path").
//
// What it risks: a process that dies without its SIGTERM loses at most its last second of
// samples (the live state, in the hot state, loses nothing). On SIGTERM the agent API
// pushes what it holds before it exits (server.ts). A Redis that is down keeps the chunks
// here, up to MAX_UNSENT_BYTES; past that the oldest are dropped, with a warning.
//
// Memory: chunks are buffers outside the JavaScript heap, reused once sent, so the spool
// adds nothing for the young generation to promote (the heartbeat path was tuned for
// that; platform/number-text.ts).
import type { GatewaySample } from "../../protocol/index";
import { logger } from "../platform/logger";
import { batchRedis } from "../platform/redis";
import { redisScript } from "../platform/redis-script";
import { BUCKET_TTL_SECONDS, gatewayKeys, minuteOf, type GatewayKeys } from "./keys";
import { isRecordId, spoolRecordSize, writeSpoolRecord } from "./sample-codec";

type Sample = Pick<GatewaySample, "linkId" | "status" | "rttMs" | "lossPct" | "rxBps" | "txBps">;

/** A chunk's size: at 5,000 heartbeats/s (~2.4 MB/s of samples) about ten pushes a second. */
export const CHUNK_BYTES = 256 * 1024;
/** Chunk buffers kept for reuse: the open one, the one being pushed and a few sealed meanwhile. */
const FREE_BUFFERS = 8;
/** How often the spool pushes what it holds. */
export const SPOOL_PUSH_MS = 1_000;
/** What the spool keeps while Redis cannot take it: ~14 s at 5,000 heartbeats/s. */
export const MAX_UNSENT_BYTES = 32 * 1024 * 1024;
/**
 * One cluster's samples per minute in one process stop at this: an agent heartbeating far
 * too often cannot fill Redis (a normal cluster sends ~2 KB a minute: 4 heartbeats of 8
 * samples).
 */
export const MAX_CLUSTER_MINUTE_BYTES = 64 * 1024;

// KEYS: the minute's list, the minutes set. ARGV: the chunk, the minute, the list's TTL.
const push = redisScript(`
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[2])
return 1
`);

interface Chunk {
  minute: number;
  buf: Buffer;
  used: number;
}

export type PushChunk = (minute: number, data: Buffer) => Promise<void>;

/**
 * Pushes chunks to a minute's list under a deployment's keys (the default prefix unless a
 * test gives another). On the connection without auto-pipelining: the command (and so
 * its copy of the chunk) is written at the call, not a turn later.
 */
export function spoolPusher(keys: GatewayKeys = gatewayKeys()): PushChunk {
  return async (minute, data) => {
    await push(batchRedis(), [keys.spool(minute), keys.minutes], [data, minute, BUCKET_TTL_SECONDS]);
  };
}

export class SampleSpool {
  private readonly open = new Map<number, Chunk>();
  private readonly sealed: Chunk[] = [];
  private readonly free: Buffer[] = [];
  private unsentBytes = 0;
  private sending: Promise<void> | null = null;
  /** The chunk being pushed: never dropped or reused until its push has returned. */
  private inFlight: Chunk | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastWarning = 0;
  // Per cluster: the minute its count is for, and the bytes spooled in it.
  private readonly budget = new Map<string, { minute: number; bytes: number }>();
  /** Chunks dropped because Redis did not take them in time (a warning each). */
  dropped = 0;

  constructor(
    private readonly pushChunk: PushChunk = spoolPusher(),
    private readonly intervalMs = SPOOL_PUSH_MS,
  ) {}

  /** Adds one accepted heartbeat's samples, under the minute it arrived in. */
  add(clusterId: string, tenantId: string, gateways: readonly Sample[], now: number): void {
    if (gateways.length === 0) return;
    const minute = minuteOf(now);
    const size = spoolRecordSize(clusterId, tenantId, gateways);
    let b = this.budget.get(clusterId);
    if (!b) {
      // Ids that would not fit a record's header (never a cuid) leave the cluster out of
      // history rather than fail a heartbeat already accepted.
      if (!isRecordId(clusterId) || !isRecordId(tenantId)) return;
      this.budget.set(clusterId, (b = { minute, bytes: 0 }));
    } else if (b.minute !== minute) {
      b.minute = minute;
      b.bytes = 0;
    }
    if (b.bytes >= MAX_CLUSTER_MINUTE_BYTES) return;
    let c = this.open.get(minute);
    if (c && c.used + size > c.buf.length) {
      this.seal(c, true);
      c = undefined;
    }
    if (!c) {
      c = { minute, buf: size > CHUNK_BYTES ? Buffer.allocUnsafeSlow(size) : (this.free.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES)), used: 0 };
      this.open.set(minute, c);
    }
    const end = writeSpoolRecord(c.buf, c.used, clusterId, tenantId, gateways);
    b.bytes += end - c.used;
    c.used = end;
    this.timer ??= setInterval(() => void this.flush().catch((err) => this.warn(err)), this.intervalMs).unref();
  }

  /** Pushes everything added before the call; rejects (keeping the chunks) when Redis does not take them. */
  async flush(): Promise<void> {
    while (this.sending) await this.sending.catch(() => {});
    for (const c of [...this.open.values()]) this.seal(c);
    if (this.budget.size > 100_000) this.pruneBudget();
    this.sending = this.pushSealed().finally(() => (this.sending = null));
    return this.sending;
  }

  /** Pushes what it holds and stops its timer (the process is about to exit). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Bytes held, not yet in Redis. */
  get held(): number {
    let open = 0;
    for (const c of this.open.values()) open += c.used;
    return this.unsentBytes + open;
  }

  private seal(c: Chunk, pushNow = false) {
    this.open.delete(c.minute);
    if (c.used === 0) return this.recycle(c.buf);
    this.sealed.push(c);
    this.unsentBytes += c.used;
    // A full chunk goes at once, not at the next tick: its buffer then comes back to be
    // reused within milliseconds. Held for up to a second, a busy process's full chunks
    // (~25 a second at 13,000 heartbeats/s) each needed a new buffer that lived long
    // enough to be promoted, and the old generation's external memory grew until V8
    // ran a full GC for it every ~12 s.
    if (pushNow && !this.sending)
      this.sending = this.pushSealed()
        .catch((err) => this.warn(err))
        .finally(() => (this.sending = null));
    while (this.unsentBytes > MAX_UNSENT_BYTES) {
      const i = this.sealed[0] === this.inFlight ? 1 : 0;
      if (i >= this.sealed.length - 1) break;
      const [old] = this.sealed.splice(i, 1);
      this.unsentBytes -= old!.used;
      this.dropped++;
      logger.warn({ minute: old!.minute, bytes: old!.used }, "gateway samples dropped: Redis has not taken the agent API's spool for too long");
      this.recycle(old!.buf);
    }
  }

  private async pushSealed() {
    while (this.sealed.length > 0) {
      const c = (this.inFlight = this.sealed[0]!);
      try {
        await this.pushChunk(c.minute, c.buf.subarray(0, c.used));
      } finally {
        this.inFlight = null;
      }
      this.sealed.shift();
      this.unsentBytes -= c.used;
      this.recycle(c.buf);
    }
  }

  private pruneBudget() {
    const recent = minuteOf(Date.now()) - 1;
    for (const [id, b] of this.budget) if (b.minute < recent) this.budget.delete(id);
  }

  private warn(err: unknown) {
    const now = Date.now();
    if (now - this.lastWarning < 30_000) return;
    this.lastWarning = now;
    logger.warn({ err, heldBytes: this.held }, "gateway samples not pushed to Redis yet; the agent API keeps them and retries");
  }

  private recycle(buf: Buffer) {
    if (buf.length === CHUNK_BYTES && this.free.length < FREE_BUFFERS) this.free.push(buf);
  }
}

const globalForSpool = globalThis as unknown as { isthmusSampleSpool?: SampleSpool };

/** This process's spool (the agent API's heartbeats feed it). */
export function sampleSpool(): SampleSpool {
  return (globalForSpool.isthmusSampleSpool ??= new SampleSpool());
}
