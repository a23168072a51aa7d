// One measured step's report and how it is printed (bench/agents.ts).
import type { PhaseResult } from "../lib/fleet";
import type { PgPeaks } from "../lib/pg-watch";
import { cpuCount } from "../lib/proc-stats";
import { f0, f1, mb } from "./format";
import type { MajorGc } from "./gc-trace";

/**
 * The generator's own V8 flags. `npm run bench:agents` gives it `--single-threaded-gc`:
 * its collections then run on its own thread only, so they never take the second core
 * from the system under test (with V8's default helper threads they showed as bursts of
 * the generator's CPU above one core, during which the agent API got less than half of
 * one). A real fleet does not share the control plane's cores at all. The price is
 * paid in the figures: the generator's own pauses get longer, and a pause delays the
 * answers it reads, which counts against the latency measured.
 */
export const GENERATOR_FLAGS = process.execArgv.filter((a) => a.startsWith("--max-") || a.endsWith("-gc")).join(" ") || "none";
export const CORES = cpuCount();

export interface PhaseReport {
  label: string;
  target: "isthmus" | "echo";
  result: PhaseResult;
  serverCpuPct: number;
  serverPeakCpuPct: number;
  serverPeakRssKb: number | null;
  /** The agent API's major GCs in the measured window (null for the echo server). */
  serverMajorGcs: Array<Omit<MajorGc, "at" | "pid"> & { atS: number }> | null;
  /** KiB a second the agent API promoted to its old generation in the window (null for the echo server). */
  serverPromotedKibPerS: number | null;
  workersCpuPct: number | null;
  workersPeakRssKb: number | null;
  generatorSamplerCpuPct: number;
  generatorPeakRssKb: number | null;
  /** The generator's V8 heap in use at the end of the phase. */
  generatorHeapUsedKb: number;
  redisCpuPct: number | null;
  postgresCpuPct: number | null;
  machineBusyPct: number;
  /** Lowest count of held long-polls the server reported during the window. */
  serverHeld: number | null;
  pg: PgPeaks | null;
  loadAvg: string;
}

/** Are the slow answers spread out, or bunched in a few bad seconds? */
function perSecondLine(r: PhaseResult): string {
  const slow = r.perSecond.map((s, i) => ({ ...s, i })).filter((s) => s.answered > 0 && s.over50 / s.answered > 0.01);
  const worst = [...r.perSecond.map((s, i) => ({ ...s, i }))].sort((a, b) => b.maxMs - a.maxMs)[0];
  const typical = [...r.perSecond].map((s) => s.maxMs).sort((a, b) => a - b)[Math.floor(r.perSecond.length / 2)] ?? NaN;
  return `    by second         ${slow.length} of ${r.perSecond.length} s had over 1 % of answers above 50 ms${slow.length ? ` (s ${slow.map((s) => s.i).join(", ")})` : ""}; slowest answer per second: median ${f1(typical)} ms, worst ${f1(worst?.maxMs ?? NaN)} ms (s ${worst?.i ?? "–"})`;
}

export function printPhase(p: PhaseReport, serverName: string) {
  const r = p.result;
  const errs = Object.entries(r.errors);
  const lines = [
    `  ${p.label}`,
    `    heartbeats/s      ${f0(r.achievedRate)} achieved${r.offeredRate ? ` of ${f0(r.offeredRate)} offered` : ""} (${f0(r.okInWindow)} answered 200 in ${r.windowSeconds} s)`,
    `    latency           p50 ${f1(r.latency.quantile(0.5))} ms · p99 ${f1(r.latency.quantile(0.99))} ms · p99.9 ${f1(r.latency.quantile(0.999))} ms · max ${f1(r.latency.max)} ms${r.offeredRate ? " (from the moment each was due)" : ""}`,
    perSecondLine(r),
    ...(r.offeredRate
      ? [`    queued in the generator (every pool connection busy)  p50 ${f1(r.queueDelay.quantile(0.5))} ms · p99 ${f1(r.queueDelay.quantile(0.99))} ms`]
      : []),
    `    errors            ${errs.length ? errs.map(([k, v]) => `${k}: ${f0(v)}`).join(", ") : "none"}${r.notSent ? ` · due in the window but never sent (backlog): ${f0(r.notSent)}` : ""}${r.unfinished ? ` · unanswered at the end: ${f0(r.unfinished)}` : ""}`,
    ...Object.entries(r.firstErrorBodies).map(([k, v]) => `      first ${k} body: ${v}`),
    `    long-polls held   ${p.serverHeld !== null ? `${f0(p.serverHeld)} lowest by the server's count; ` : ""}${f0(r.heldMin)} lowest / ${f0(r.heldEnd)} at the end in flight from the generator`,
    `    ${serverName.padEnd(17)} CPU ${f1(p.serverCpuPct)} % mean (peak second ${f1(p.serverPeakCpuPct)} %), RSS peak ${mb(p.serverPeakRssKb)}`,
    ...(p.serverMajorGcs
      ? [
          `    its major GCs     ${
            p.serverMajorGcs.length
              ? `${p.serverMajorGcs.length} in the window: ${p.serverMajorGcs.map((gc) => `s ${f1(gc.atS)}, ${f0(gc.fromMib)} → ${f0(gc.toMib)} MiB, ${f0(gc.markingMs)} ms of marking on the main thread + ${f1(gc.pauseMs)} ms pause`).join("; ")}`
              : "none in the window"
          }`,
        ]
      : []),
    ...(p.serverPromotedKibPerS !== null
      ? [`    its promotion     ${f0(p.serverPromotedKibPerS)} KiB/s to the old generation (marked by its next major GC)`]
      : []),
    ...(p.workersCpuPct !== null
      ? [`    workers           CPU ${f1(p.workersCpuPct)} % mean (the flush to Postgres every 250 ms, lease evaluation), RSS peak ${mb(p.workersPeakRssKb)}`]
      : []),
    `    generator         CPU ${f1(r.generatorCpuPct)} % (event-loop delay p99 ${f1(r.generatorEventLoopP99Ms)} ms, max ${f1(r.generatorEventLoopMaxMs)} ms), RSS peak ${mb(p.generatorPeakRssKb)}, heap in use ${mb(p.generatorHeapUsedKb)}; node flags: ${GENERATOR_FLAGS}`,
    `    beside it         Redis CPU ${f1(p.redisCpuPct ?? NaN)} % · PostgreSQL (whole server) CPU ${f1(p.postgresCpuPct ?? NaN)} % · machine busy ${f1(p.machineBusyPct)} % of ${CORES * 100} %`,
    ...(p.pg && p.pg.samples
      ? [
          `    PostgreSQL        ${f0(p.pg.xactPerSecond)} transactions/s in the bench database (${f1(p.pg.xactPerSecond / Math.max(1, r.achievedRate))} per heartbeat answered); ${p.pg.connections} connections, running a query ${f1(p.pg.meanActive)} on average (${p.pg.active} at most), idle in transaction ≤ ${p.pg.idleInTransaction}, waiting for a lock ≤ ${p.pg.lockWaits}`,
        ]
      : []),
    `    load average      ${p.loadAvg}`,
  ];
  console.log(lines.join("\n"));
}
