// CPU and memory of processes from /proc (Linux): utime+stime from /proc/<pid>/stat,
// VmRSS from /proc/<pid>/status, whole-machine busy time from /proc/stat. A sampler
// reads them once a second; a phase's mean CPU % is its CPU time over its wall time.
import { readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";

const CLK_TCK = (() => {
  const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

export interface PidStat {
  pid: number;
  ppid: number;
  comm: string;
  /** R, S, D, Z (exited, not yet reaped by its parent), … */
  state: string;
  /** utime + stime in seconds. */
  cpuSeconds: number;
}

export function readPidStat(pid: number): PidStat | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "latin1");
    const open = s.indexOf("(");
    const close = s.lastIndexOf(")");
    const f = s.slice(close + 2).split(" ");
    // Fields after comm: state(0) ppid(1) … utime(11) stime(12).
    return { pid, ppid: Number(f[1]), comm: s.slice(open + 1, close), state: f[0] ?? "", cpuSeconds: (Number(f[11]) + Number(f[12])) / CLK_TCK };
  } catch {
    return null;
  }
}

export function readRssKb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "latin1"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

export function allPids(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

/** Direct children of a process. */
export function childrenOf(pid: number): number[] {
  return allPids().filter((p) => readPidStat(p)?.ppid === pid);
}

/** Busy and total jiffies of the whole machine (all cores) from /proc/stat. */
export function readMachine(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "latin1").split("\n")[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Number of CPUs /proc/stat lists. */
export function cpuCount(): number {
  return Math.max(1, readFileSync("/proc/stat", "latin1").match(/^cpu\d+ /gm)?.length ?? 1);
}

/** How busy the machine was between two readings, in % of one core (2 cores: 0..200 %). */
export function machineBusyPct(a: { busy: number; total: number }, b: { busy: number; total: number }): number {
  const total = b.total - a.total;
  return total > 0 ? ((b.busy - a.busy) / total) * 100 * cpuCount() : NaN;
}

/** A named set of processes whose CPU is summed: resolved afresh at every sample. */
export interface Group {
  name: string;
  pids: () => number[];
  /** Track resident memory (sum over the group's pids). */
  rss?: boolean;
}

interface Sample {
  t: number; // performance.now() ms
  cpu: Map<string, Map<number, number>>; // group → pid → cpu seconds
  rssKb: Map<string, number>;
  machine: { busy: number; total: number };
}

export interface GroupStats {
  cpuPct: number;
  peakCpuPct: number;
  peakRssKb: number | null;
}

export class ProcSampler {
  private samples: Sample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private maxSamples: number;

  constructor(
    private groups: Group[],
    maxSeconds = 3600,
  ) {
    this.maxSamples = maxSeconds;
  }

  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  addGroup(g: Group) {
    this.groups.push(g);
  }

  sample() {
    if (this.samples.length >= this.maxSamples) return;
    const cpu = new Map<string, Map<number, number>>();
    const rssKb = new Map<string, number>();
    for (const g of this.groups) {
      const m = new Map<number, number>();
      let rss = 0;
      for (const pid of g.pids()) {
        const st = readPidStat(pid);
        if (!st) continue;
        m.set(pid, st.cpuSeconds);
        if (g.rss) rss += readRssKb(pid) ?? 0;
      }
      cpu.set(g.name, m);
      if (g.rss) rssKb.set(g.name, rss);
    }
    this.samples.push({ t: performance.now(), cpu, rssKb, machine: readMachine() });
  }

  /** CPU seconds a group spent between two samples (pids present in both). */
  private cpuBetween(a: Sample, b: Sample, group: string): number {
    const ma = a.cpu.get(group);
    const mb = b.cpu.get(group);
    if (!ma || !mb) return 0;
    let s = 0;
    for (const [pid, v] of mb) {
      const before = ma.get(pid);
      if (before !== undefined) s += Math.max(0, v - before);
    }
    return s;
  }

  /** Per-group mean and peak CPU % (100 % = one core) and peak RSS between two instants. */
  stats(fromMs: number, toMs: number): { groups: Map<string, GroupStats>; machineBusyPct: number; seconds: number } {
    const inside = this.samples.filter((s) => s.t >= fromMs - 500 && s.t <= toMs + 500);
    const groups = new Map<string, GroupStats>();
    if (inside.length < 2) return { groups, machineBusyPct: NaN, seconds: 0 };
    const first = inside[0]!;
    const last = inside[inside.length - 1]!;
    const secs = (last.t - first.t) / 1000;
    for (const g of this.groups) {
      let peak = 0;
      let total = 0;
      for (let i = 1; i < inside.length; i++) {
        const d = this.cpuBetween(inside[i - 1]!, inside[i]!, g.name);
        total += d;
        peak = Math.max(peak, (d / ((inside[i]!.t - inside[i - 1]!.t) / 1000)) * 100);
      }
      const rss = g.rss ? Math.max(...inside.map((s) => s.rssKb.get(g.name) ?? 0)) : null;
      groups.set(g.name, { cpuPct: (total / secs) * 100, peakCpuPct: peak, peakRssKb: rss });
    }
    return { groups, machineBusyPct: machineBusyPct(first.machine, last.machine), seconds: secs };
  }

  peakRssKb(group: string): number {
    return Math.max(0, ...this.samples.map((s) => s.rssKb.get(group) ?? 0));
  }
}
