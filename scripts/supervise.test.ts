// The supervisor of `npm start`: a crashed child is restarted with a growing delay, and
// stopping (SIGTERM, or the parent process vanishing) leaves no process behind — not
// the children, not what they started. Runs scripts/supervise.fixture.ts, which
// supervises small dummy children exactly as scripts/start.ts supervises the real ones.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RESTART, nextRestartDelay } from "./supervise";

const FIXTURE = path.join(import.meta.dirname, "supervise.fixture.ts");
const ROOT = path.resolve(import.meta.dirname, "..");

/** Alive and not a zombie (an orphan's zombie may wait for a reaper that never comes). */
function alive(pid: number) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

interface Line {
  log?: string;
  name?: string;
  line?: string;
  ready?: boolean;
  pid?: number;
}

class Fixture {
  lines: Line[] = [];
  proc: ChildProcess;
  constructor(viaShell: boolean) {
    const node = [process.execPath, "--import", "tsx", FIXTURE];
    // viaShell: a parent that can be killed without passing the signal on, like npm.
    this.proc = viaShell
      ? spawn("sh", ["-c", `${node.map((a) => `'${a}'`).join(" ")} & wait`], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] })
      : spawn(node[0]!, node.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    readline.createInterface({ input: this.proc.stdout! }).on("line", (l) => {
      try {
        this.lines.push(JSON.parse(l) as Line);
      } catch {
        this.lines.push({ log: l });
      }
    });
  }
  /** pid and grandchild pid of each start of child `name`, in order. */
  starts(name: string) {
    return this.lines.filter((l) => l.name === name && l.line).map((l) => JSON.parse(l.line!) as { pid: number; grandchild: number });
  }
  logs() {
    return this.lines.filter((l) => l.log).map((l) => l.log!);
  }
  supervisorPid() {
    return this.lines.find((l) => l.ready)?.pid;
  }
  allPids() {
    return [this.supervisorPid()!, ...["steady", "stubborn"].flatMap((n) => this.starts(n).flatMap((s) => [s.pid, s.grandchild]))];
  }
}

const started: Fixture[] = [];
afterEach(() => {
  for (const f of started.splice(0)) for (const pid of f.allPids().filter(Boolean)) if (alive(pid)) process.kill(pid, "SIGKILL");
});

describe("restart delay", () => {
  it("grows from 0.5 s to 30 s while a child keeps dying, and starts afresh after a stable run", () => {
    const delays: number[] = [];
    let d: number | null = null;
    for (let i = 0; i < 9; i++) delays.push((d = nextRestartDelay(d, 1_000)));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(nextRestartDelay(30_000, DEFAULT_RESTART.stableMs)).toBe(500);
  });
});

describe("supervisor", () => {
  it("restarts a child killed with SIGKILL, with a growing delay, and SIGTERM stops every process", { timeout: 60_000 }, async () => {
    const f = new Fixture(false);
    started.push(f);
    await expect.poll(() => [f.starts("steady").length, f.starts("stubborn").length], { timeout: 30_000, interval: 100 }).toEqual([1, 1]);
    const [first] = f.starts("steady");

    process.kill(first!.pid, "SIGKILL");
    await expect.poll(() => f.starts("steady").length, { timeout: 20_000, interval: 100 }).toBe(2);
    expect(f.logs()).toContainEqual(expect.stringMatching(/^steady killed by SIGKILL after .*; restarting in 100 ms$/));
    expect(f.logs()).toContainEqual(expect.stringMatching(/^steady restarted \(pid \d+, restart 1\)$/));
    // What the dead child had started went with it; the new one runs.
    await expect.poll(() => alive(first!.grandchild), { timeout: 5_000, interval: 50 }).toBe(false);
    const second = f.starts("steady")[1]!;
    expect(alive(second.pid)).toBe(true);

    // Dying again soon after: the delay doubles.
    process.kill(second.pid, "SIGKILL");
    await expect.poll(() => f.starts("steady").length, { timeout: 20_000, interval: 100 }).toBe(3);
    expect(f.logs()).toContainEqual(expect.stringMatching(/^steady killed by SIGKILL after .*; restarting in 200 ms$/));
    // The other child was never touched.
    expect(f.starts("stubborn")).toHaveLength(1);

    const exited = new Promise<number | null>((r) => f.proc.once("exit", (code) => r(code)));
    f.proc.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(f.logs()).toContainEqual("stubborn did not stop within 1 s; killing it");
    expect(f.allPids().filter(alive)).toEqual([]);
  });

  it("stops every process when its parent dies without passing a signal on (as npm does)", { timeout: 60_000 }, async () => {
    const f = new Fixture(true);
    started.push(f);
    await expect.poll(() => [f.starts("steady").length, f.starts("stubborn").length], { timeout: 30_000, interval: 100 }).toEqual([1, 1]);
    f.proc.kill("SIGKILL");
    await expect.poll(() => f.logs().includes("stopped"), { timeout: 20_000, interval: 100 }).toBe(true);
    expect(f.logs()).toContain("stopping (parent process gone)");
    await expect.poll(() => f.allPids().filter(alive), { timeout: 5_000, interval: 100 }).toEqual([]);
  });
});
