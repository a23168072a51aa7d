// The agent API's garbage collections, read from its --trace-gc-nvp lines (bench/agents.ts).
import { appendFileSync } from "node:fs";
/**
 * The agent API's collections, read from its `--trace-gc-nvp` lines (one per
 * collection, name=value pairs; consumed, not counted as its log). Two things come of
 * them per measured window: the bytes promoted to the old generation (what a held
 * long-poll or a leak costs: it is what the next major GC marks) and each major GC, a
 * stretch of main-thread marking and a helper thread on the second core.
 */
export interface MajorGc {
  /** performance.now() of this process when the line arrived. */
  at: number;
  /** The agent API process it ran in. */
  pid: number;
  fromMib: number;
  toMib: number;
  pauseMs: number;
  /** Incremental marking on the main thread before the pause. */
  markingMs: number;
}
export const apiMajorGcs: MajorGc[] = [];
/** [performance.now(), bytes promoted, pid] per collection. */
export const apiPromoted: Array<[number, number, number]> = [];
// "[pid:isolate] 123 ms: pause=…"; Node 24 adds the thread's id: "[pid:isolate:0] …".
const TRACE_GC_LINE = /^\[(\d+):(0x[0-9a-f]+)(?::\d+)?\]\s+\d+ ms: pause=/;
/**
 * Per process (several serve the port when --api-processes > 1; their primary's few
 * collections count too), the main thread's isolate: the first to trace (a worker
 * thread's, such as a log transport's, comes later).
 */
export const mainIsolates = new Map<string, string>();
// Any line V8's GC tracing writes, stamped "[pid:isolate]" (--trace-gc-nvp, or what
// --trace-gc-verbose or --trace-incremental-marking given with --api-node-flags add).
const V8_GC_LINE = /^\[\d+:0x[0-9a-f]+(?::\d+)?\] /;
export function takeTraceGc(line: string): boolean {
  // ISTHMUS_BENCH_GC_LOG=<file>: every GC line as V8 wrote it, stamped with this
  // process's clock, for what the summary leaves out (each scavenge's promotion, or with
  // --trace-gc what started each major GC).
  const gcLog = process.env.ISTHMUS_BENCH_GC_LOG;
  const logged = gcLog !== undefined && V8_GC_LINE.test(line);
  if (logged) appendFileSync(gcLog, `${performance.now().toFixed(0)} ${line}\n`);
  const m = TRACE_GC_LINE.exec(line);
  if (!m) return logged;
  const [, pid, isolate] = m as unknown as [string, string, string];
  if (!mainIsolates.has(pid)) mainIsolates.set(pid, isolate);
  if (isolate !== mainIsolates.get(pid)) return true;
  const field = (name: string) => Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);
  const at = performance.now();
  apiPromoted.push([at, field("promoted"), Number(pid)]);
  if (/\bgc=mc\b/.test(line)) {
    const MiB = 1024 * 1024;
    apiMajorGcs.push({
      at,
      pid: Number(pid),
      // The heap's objects before and after (Node 24 names them start_/end_object_size).
      fromMib: (field("total_size_before") || field("start_object_size")) / MiB,
      toMib: (field("total_size_after") || field("end_object_size")) / MiB,
      pauseMs: field("pause"),
      markingMs: field("incremental"),
    });
  }
  return true;
}
