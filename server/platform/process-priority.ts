// Lowering a process's CPU priority (its nice value). The workers process runs batch
// work (the flush to Postgres, lease evaluation, rollouts) that can wait a few
// milliseconds; the agent API answers heartbeats that cannot. On a host where they
// share cores, the workers at a lower priority yield the CPU during their bursts instead
// of taking it from the agent API.
import { readdirSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

export interface PriorityResult {
  /** Threads now at `nice` or lower priority. */
  lowered: number;
  /** Threads whose priority could not be changed, with the first reason. */
  failed: number;
  error?: string;
}

/**
 * Lower every thread of this process to at least `nice` (0..19; 0 changes nothing). On
 * Linux a nice value belongs to a thread, and V8's and libuv's helper threads already
 * run when this is called, so each is set (threads started later inherit the main
 * thread's). Elsewhere the process as a whole is set. Never raises a priority.
 */
export function lowerPriority(nice: number): PriorityResult {
  const result: PriorityResult = { lowered: 0, failed: 0 };
  if (!Number.isInteger(nice) || nice <= 0) return result;
  const target = Math.min(nice, 19);
  let ids: number[];
  try {
    ids = readdirSync("/proc/self/task").map(Number).filter(Number.isInteger);
  } catch {
    ids = [0]; // no /proc: the process
  }
  for (const id of ids) {
    try {
      if (getPriority(id) < target) setPriority(id, target);
      result.lowered++;
    } catch (err) {
      // A thread that ended meanwhile, or a platform that refuses.
      result.failed++;
      result.error ??= err instanceof Error ? err.message : String(err);
    }
  }
  return result;
}
