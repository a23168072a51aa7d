// Several agent API processes on one port (AGENT_API_PROCESSES > 1): this primary forks
// them with node:cluster, which hands each new connection to the next process in turn.
// One process's event loop is the limit of what the agent API answers; two on two cores
// answered a third more (bench/README.md). Everything they share lives in Redis and Postgres
// (hot state, revisions, rate limits, revocations over pub/sub), so they need no
// coordination beyond what is here:
// * output: each process's lines are passed on whole, so two processes never cut into
//   each other's lines;
// * held long-polls: each reports its count, and every /healthz answers with the sum;
// * lifecycle: SIGTERM/SIGINT drain every process and exit when all have; a process that
//   dies is replaced, with a growing delay if it keeps dying; if none has ever come up,
//   the first to fail stops them all (a bad port or environment fails every one alike).
import cluster, { type Worker } from "node:cluster";
import type { Readable } from "node:stream";
import type { Logger } from "pino";

/** Messages between the primary and its processes. */
export type ClusterMessage = { isthmus: "held"; n: number } | { isthmus: "held-total"; n: number; processes: number };

export const isClusterMessage = (m: unknown): m is ClusterMessage =>
  typeof m === "object" && m !== null && typeof (m as { isthmus?: unknown }).isthmus === "string";

/** How often processes report their held long-polls, and the primary sends the sum. */
export const HELD_REPORT_MS = 1000;

const RESTART_MIN_MS = 500;
const RESTART_MAX_MS = 30_000;
// A process that ran this long before dying starts the restart delay afresh.
const STABLE_MS = 60_000;
// Past this, processes that have not exited after SIGTERM are killed (each one forces
// its own exit after 15 s).
const STOP_GRACE_MS = 20_000;

/** Pass a child's output on line by line: a line is written whole or not yet. */
function relayLines(from: Readable | null | undefined, to: NodeJS.WriteStream) {
  if (!from) return;
  let rest = "";
  from.setEncoding("utf8");
  from.on("data", (chunk: string) => {
    const text = rest + chunk;
    const cut = text.lastIndexOf("\n");
    if (cut < 0) {
      rest = text;
      return;
    }
    rest = text.slice(cut + 1);
    to.write(text.slice(0, cut + 1));
  });
  from.on("end", () => {
    if (rest) to.write(rest + "\n");
    rest = "";
  });
}

export interface PrimaryOptions {
  processes: number;
  log: Pick<Logger, "info" | "error">;
}

/** Run as the primary until every process has exited; resolves with the exit code. */
export function runPrimary({ processes, log }: PrimaryOptions): Promise<number> {
  cluster.setupPrimary({ silent: true });
  const held = new Map<number, number>();
  const listened = new Set<number>();
  const live = new Set<Worker>();
  let bad = 0;
  let done: (code: number) => void = () => {};
  let stopping = false;
  let failed = false;
  let anyListened = false;
  let restartDelay = RESTART_MIN_MS;
  const finishIfDone = () => {
    if (stopping && live.size === 0) done(failed || bad > 0 ? 1 : 0);
  };

  const fork = () => {
    const started = Date.now();
    const w = cluster.fork();
    live.add(w);
    relayLines(w.process.stdout, process.stdout);
    relayLines(w.process.stderr, process.stderr);
    w.on("listening", () => {
      listened.add(w.id);
      anyListened = true;
      sendTotals();
      if (listened.size === processes) log.info({ processes }, "agent API processes listening");
    });
    w.on("message", (m: unknown) => {
      if (isClusterMessage(m) && m.isthmus === "held") held.set(w.id, m.n);
    });
    w.on("exit", (code, signal) => {
      live.delete(w);
      held.delete(w.id);
      const wasUp = listened.delete(w.id);
      if (stopping) {
        if (code !== 0) bad++;
        finishIfDone();
        return;
      }
      sendTotals();
      if (!wasUp && !anyListened) {
        // None has ever come up (a port in use, a bad environment): the next would fail alike.
        log.error({ code, signal }, "an agent API process exited before it listened; stopping");
        failed = true;
        stop();
        return;
      }
      if (Date.now() - started > STABLE_MS) restartDelay = RESTART_MIN_MS;
      log.error({ code, signal, restartInMs: restartDelay }, "an agent API process exited; replacing it");
      // Not unref'd: with every process gone, this timer is what keeps the primary alive.
      setTimeout(() => stopping || fork(), restartDelay);
      restartDelay = Math.min(RESTART_MAX_MS, restartDelay * 2);
    });
    return w;
  };

  const sendTotals = () => {
    let n = 0;
    for (const v of held.values()) n += v;
    const msg: ClusterMessage = { isthmus: "held-total", n, processes: listened.size };
    for (const w of live) if (w.isConnected()) w.send(msg, () => {});
  };
  const broadcast = setInterval(sendTotals, HELD_REPORT_MS);
  broadcast.unref();

  function stop() {
    if (stopping) return;
    stopping = true;
    clearInterval(broadcast);
    for (const w of live) w.process.kill("SIGTERM");
    setTimeout(() => {
      for (const w of live) w.process.kill("SIGKILL");
    }, STOP_GRACE_MS).unref();
    finishIfDone();
  }

  return new Promise((resolve) => {
    done = resolve;
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.on(signal, () => {
        log.info({ signal }, "shutting down");
        stop();
      });
    }
    for (let i = 0; i < processes; i++) fork();
  });
}
