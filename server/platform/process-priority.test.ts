import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { getPriority } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";

const ROOT = path.resolve(__dirname, "../..");

// In a child process: lowering its own priority is one-way, and the test runner's must stay.
function runChild(nice: number) {
  const script = `
    import { readdirSync, readFileSync } from "node:fs";
    import { lowerPriority } from "./server/platform/process-priority.ts";
    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value.
    const nices = () => readdirSync("/proc/self/task").map((t) => Number(readFileSync("/proc/self/task/" + t + "/stat", "utf8").split(") ")[1].split(" ")[16]));
    const result = lowerPriority(${nice});
    const threads = nices();
    // A thread started afterwards inherits it: a worker thread, read while it runs.
    const { Worker } = await import("node:worker_threads");
    const w = new Worker("setTimeout(() => {}, 2000)", { eval: true });
    await new Promise((r) => w.once("online", r));
    const after = nices();
    console.log(JSON.stringify({ result, threads, after }));
    await w.terminate();
  `;
  const out = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout.trim().split("\n").at(-1)!) as { result: { lowered: number; failed: number }; threads: number[]; after: number[] };
}

describe.skipIf(!existsSync("/proc/self/task"))("lowerPriority", () => {
  // The child starts at this process's nice value (a runner may itself run niced).
  const inherited = getPriority();

  test("every thread of the process, and threads started later, run at the nice value", () => {
    const want = Math.max(inherited, 7);
    const { result, threads, after } = runChild(7);
    expect(result.failed).toBe(0);
    expect(threads.length).toBeGreaterThan(1);
    expect(result.lowered).toBe(threads.length);
    expect(new Set(threads)).toEqual(new Set([want]));
    expect(after.length).toBeGreaterThan(threads.length);
    expect(new Set(after)).toEqual(new Set([want]));
  });

  test("0 leaves the priority as it was", () => {
    const { result, threads } = runChild(0);
    expect(result.lowered).toBe(0);
    expect(new Set(threads)).toEqual(new Set([inherited]));
  });
});
