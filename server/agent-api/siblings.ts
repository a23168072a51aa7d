// The view one agent API process has of the others on its port (see primary.ts): it
// reports its held long-polls to the primary, which sends back the sum of everyone's.
import { HELD_REPORT_MS, isClusterMessage } from "./primary";

export interface Siblings {
  /** Long-polls held by every process: the primary's last sum with this process's part brought up to now. */
  heldLongPolls(own: number): number;
  /** Processes listening, as of the primary's last report. */
  processes(): number;
  start(own: () => number): void;
  stop(): void;
}

/** For a process forked by the primary (node:cluster); it talks over the IPC channel. */
export function clusterSiblings(): Siblings {
  let total: { n: number; processes: number } | null = null;
  let reported = 0;
  let timer: NodeJS.Timeout | null = null;
  const onMessage = (m: unknown) => {
    if (isClusterMessage(m) && m.isthmus === "held-total") total = { n: m.n, processes: m.processes };
  };
  return {
    heldLongPolls: (own) => (total ? Math.max(own, total.n - reported + own) : own),
    processes: () => total?.processes ?? 1,
    start(own) {
      process.on("message", onMessage);
      const report = () => {
        reported = own();
        if (process.connected) process.send?.({ isthmus: "held", n: reported }, undefined, undefined, () => {});
      };
      report();
      timer = setInterval(report, HELD_REPORT_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      process.off("message", onMessage);
    },
  };
}
