// The process supervisor of `npm start`: runs each part of the control plane as a child
// process, restarts one that dies, and stops them all, in order, on Ctrl-C or SIGTERM.
//
// * Restart: a child that exits on its own (a crash, kill -9, an out-of-memory kill) is
//   started again after a delay that grows from 0.5 s to 30 s while it keeps dying, and
//   starts afresh once a run lasted a minute (as the agent API's own primary does). One
//   crashed process no longer stops the whole control plane.
// * Process groups: each child leads its own group, so a terminal's Ctrl-C reaches only
//   the supervisor (which stops the children in order), and a stop or a crash takes the
//   child's own children with it (`next start`, a tsx loader) instead of leaving them
//   running, holding ports.
// * Parent gone: `npm start` is one more process above this one. When it dies without
//   passing a signal on, the supervisor notices it was orphaned and stops everything.
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";

export interface ChildSpec {
  name: string;
  /** Executable (default: this Node). */
  command?: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Start it again when it exits (default true). One-shot steps (a build) say false. */
  restart?: boolean;
  /** Output lines to leave out. */
  drop?: RegExp;
}

export interface RestartPolicy {
  minDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long starts the delay afresh. */
  stableMs: number;
}

export const DEFAULT_RESTART: RestartPolicy = { minDelayMs: 500, maxDelayMs: 30_000, stableMs: 60_000 };

/** Delay before the next start: doubles while the child keeps dying, from the minimum after a stable run. */
export function nextRestartDelay(previousMs: number | null, upMs: number, p: RestartPolicy = DEFAULT_RESTART): number {
  if (previousMs === null || upMs >= p.stableMs) return p.minDelayMs;
  return Math.min(p.maxDelayMs, previousMs * 2);
}

export interface SupervisorOptions {
  /** One line about the supervisor's own doing (restarts, stops). */
  log: (message: string) => void;
  /** A line of a child's output (default: written with the child's name in front). */
  output?: (name: string, stream: "stdout" | "stderr", line: string) => void;
  restart?: Partial<RestartPolicy>;
  /** How long a child may take to stop after SIGTERM before it is killed. */
  stopTimeoutMs?: number;
}

export interface Supervised {
  readonly name: string;
  /** The current process (a new one after each restart). */
  readonly proc: ChildProcess;
  readonly restarts: number;
  /** Resolves when the child exits for good (a one-shot's end, or the supervisor's stop). */
  readonly done: Promise<number | null>;
}

const COLORS = [36, 35, 33, 32, 34, 91, 92, 93];
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;

function defaultOutput(name: string, stream: "stdout" | "stderr", line: string) {
  const code = COLORS[[...name].reduce((a, c) => a + c.charCodeAt(0), 0) % COLORS.length];
  const tag = useColor ? `\x1b[${code}m${name.padEnd(12)}\x1b[0m` : name.padEnd(12);
  (stream === "stdout" ? process.stdout : process.stderr).write(`${tag}| ${line}\n`);
}

/** Signal a child's whole process group; false when nothing was left to signal. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
  if (!pid) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

const hasExited = (p: ChildProcess) => p.exitCode !== null || p.signalCode !== null;

class Entry implements Supervised {
  proc!: ChildProcess;
  restarts = 0;
  delay: number | null = null;
  startedAt = 0;
  timer: NodeJS.Timeout | undefined;
  finished = false;
  done: Promise<number | null>;
  finish!: (code: number | null) => void;

  constructor(readonly spec: ChildSpec) {
    this.done = new Promise((resolve) => (this.finish = resolve));
  }
  get name() {
    return this.spec.name;
  }
}

export class Supervisor {
  private readonly entries: Entry[] = [];
  private stopping = false;
  private readonly policy: RestartPolicy;
  private readonly stopTimeoutMs: number;
  private readonly output: NonNullable<SupervisorOptions["output"]>;

  constructor(private readonly opts: SupervisorOptions) {
    this.policy = { ...DEFAULT_RESTART, ...opts.restart };
    this.stopTimeoutMs = opts.stopTimeoutMs ?? 15_000;
    this.output = opts.output ?? defaultOutput;
  }

  get isStopping() {
    return this.stopping;
  }

  children(): readonly Supervised[] {
    return this.entries;
  }

  start(spec: ChildSpec): Supervised {
    const entry = new Entry(spec);
    this.entries.push(entry);
    this.spawn(entry);
    return entry;
  }

  private spawn(e: Entry) {
    const { spec } = e;
    const proc = spawn(spec.command ?? process.execPath, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    e.proc = proc;
    e.startedAt = Date.now();
    for (const stream of ["stdout", "stderr"] as const) {
      const input = proc[stream];
      if (!input) continue;
      readline.createInterface({ input }).on("line", (line) => {
        // Lines that are only terminal control codes (cursor show/hide) carry nothing.
        // eslint-disable-next-line no-control-regex -- terminal escape codes are what it strips
        if (spec.drop?.test(line) || !line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").trim()) return;
        this.output(spec.name, stream, line);
      });
    }
    proc.on("error", (err) => this.opts.log(`${spec.name} could not start: ${err.message}`));
    proc.on("exit", (code, signal) => this.onExit(e, proc, code, signal));
  }

  private onExit(e: Entry, proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null) {
    // What the child started may outlive it (a server's own children); they go with it,
    // or a restarted child would find its port taken.
    signalGroup(proc.pid, "SIGKILL");
    if (this.stopping || e.spec.restart === false) {
      e.finished = true;
      e.finish(code);
      return;
    }
    const upMs = Date.now() - e.startedAt;
    e.delay = nextRestartDelay(e.delay, upMs, this.policy);
    const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
    this.opts.log(`${e.name} ${why} after ${formatMs(upMs)}; restarting in ${formatMs(e.delay)}`);
    e.timer = setTimeout(() => {
      e.timer = undefined;
      if (this.stopping) return void ((e.finished = true), e.finish(code));
      e.restarts++;
      this.spawn(e);
      this.opts.log(`${e.name} restarted (pid ${e.proc.pid}, restart ${e.restarts})`);
    }, e.delay);
  }

  /** Stop one child: SIGTERM to its group, SIGKILL after the timeout. */
  private async stopEntry(e: Entry) {
    if (e.timer) {
      clearTimeout(e.timer);
      e.timer = undefined;
      e.finished = true;
      e.finish(null);
    }
    const proc = e.proc;
    if (!hasExited(proc)) {
      const exited = new Promise((r) => proc.once("exit", r));
      signalGroup(proc.pid, "SIGTERM");
      const timer = setTimeout(() => {
        this.opts.log(`${e.name} did not stop within ${formatMs(this.stopTimeoutMs)}; killing it`);
        signalGroup(proc.pid, "SIGKILL");
      }, this.stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
    signalGroup(proc.pid, "SIGKILL");
  }

  /**
   * Stop every child and let none restart: first those matched by each predicate of
   * `order` in turn (each group in parallel), then the rest.
   */
  async stop(order: Array<(name: string) => boolean> = []): Promise<void> {
    this.stopping = true;
    const left = new Set(this.entries);
    for (const match of order) {
      const now = [...left].filter((e) => match(e.name));
      for (const e of now) left.delete(e);
      await Promise.all(now.map((e) => this.stopEntry(e)));
    }
    await Promise.all([...left].map((e) => this.stopEntry(e)));
  }

  /** Last resort (the supervisor itself is exiting): kill every child's group at once. */
  killAll() {
    this.stopping = true;
    for (const e of this.entries) {
      clearTimeout(e.timer);
      signalGroup(e.proc?.pid, "SIGKILL");
    }
  }
}

/**
 * Calls `onStop` on the first SIGINT, SIGTERM or SIGHUP, and when this process's parent
 * goes away (it was orphaned: `npm` killed without passing the signal on). A second
 * signal well after the first calls `onForce`. One Ctrl-C can arrive more than once
 * (from the terminal, and relayed by npm), hence "well after".
 */
export function stopOnSignals(onStop: (reason: string) => void, onForce: () => void, opts: { parentCheckMs?: number } = {}) {
  let firstAt = 0;
  const first = (reason: string) => {
    if (firstAt) return false;
    firstAt = Date.now();
    onStop(reason);
    return true;
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      if (!first(sig) && Date.now() - firstAt > 1_500) onForce();
    });
  }
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(watch);
      first("parent process gone");
    }
  }, opts.parentCheckMs ?? 1_000);
  watch.unref();
}

function formatMs(ms: number) {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
