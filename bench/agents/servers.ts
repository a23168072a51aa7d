// What the agent benchmark reads about the processes under test: the shared services'
// pids, the agent API's own count of held long-polls, a multi-process server's children.
import { allPids, childrenOf, readCmdline, readPidStat } from "../lib/proc-stats";
import { sleep } from "./format";

// ---- the shared services, for the side measurements ----------------------------------
export function redisServerPids(port: string): number[] {
  return allPids().filter((p) => readPidStat(p)?.comm.startsWith("redis-server") && readCmdline(p).includes(`:${port}`));
}

export function postgresPids(postmaster: number | null): () => number[] {
  return () => (postmaster ? [postmaster, ...childrenOf(postmaster)] : []);
}

export async function heldOnServer(port: number): Promise<number | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
    return ((await res.json()) as { heldLongPolls?: number }).heldLongPolls ?? null;
  } catch {
    return null;
  }
}

/** Wait (bounded) until the server says it holds `want` long-polls. */
export async function waitHeld(port: number, want: number, timeoutMs: number): Promise<number | null> {
  const until = Date.now() + timeoutMs;
  let held: number | null = null;
  while (Date.now() < until) {
    held = await heldOnServer(port);
    if (held !== null && held >= want) return held;
    await sleep(500);
  }
  return held;
}

/**
 * A server's processes once all are up: those serving the port (the one started, or the
 * workers of its node:cluster primary) and all of them, the primary included, whose CPU
 * and memory count.
 */
export async function serverPids(pid: number, processes: number): Promise<{ serving: number[]; all: number[] }> {
  if (processes === 1) return { serving: [pid], all: [pid] };
  // Not one that has exited and waits to be reaped (a process the primary is replacing).
  const live = () => childrenOf(pid).filter((p) => readPidStat(p)?.state !== "Z");
  for (let i = 0; i < 600 && live().length < processes; i++) await sleep(100);
  const serving = live();
  return { serving, all: [pid, ...serving] };
}
