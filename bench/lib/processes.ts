// Child processes of the benchmark (the agent API, the workers and the echo server),
// started with the project's tsx as `npx tsx <script>` would (tsx runs the script in a
// child node process of its own; that child is the one whose CPU and memory are
// measured), or, for the agent API and the workers, as production runs them: their
// bundles from scripts/build-services.ts, with node itself.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { BUILT_SERVICE_NODE_FLAGS, buildServices, SERVICE_ENTRIES, serviceBundle, servicesBuildIsStale, type ServiceName } from "../../scripts/build-services";
import { childrenOf, readPidStat } from "./proc-stats";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const NODE_COMMS = new Set(["node", "MainThread"]);

export interface Child {
  name: string;
  proc: ChildProcess;
  /** pid of the node process running the script (tsx's child). */
  pid: number;
  /** The last lines it wrote (stdout and stderr), at most 200. */
  output: string[];
  lines: number;
  exitCode: number | null | undefined;
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How the agent API and the workers run: their bundles (as in production) or their TypeScript through tsx. */
export type ServiceMode = "built" | "tsx";
export const SERVICE_MODES: readonly ServiceMode[] = ["built", "tsx"];

/** Build the services' bundles into dist/ unless they are current; what was done, for the log. */
export async function ensureServicesBuilt(): Promise<string> {
  const stale = servicesBuildIsStale(ROOT);
  if (!stale) return "bundles in dist/ are current";
  const r = await buildServices({ root: ROOT });
  return `built into dist/ in ${(r.ms / 1000).toFixed(1)} s (${stale})`;
}

/** The agent API or the workers, built (`node [nodeFlags…] dist/<name>.mjs`) or through tsx. */
export function spawnService(
  name: string,
  service: ServiceName,
  mode: ServiceMode,
  env: NodeJS.ProcessEnv,
  onLine?: (line: string) => boolean | void,
  nodeFlags: string[] = [],
): Promise<Child> {
  if (mode === "tsx") return spawnTsx(name, path.join(ROOT, SERVICE_ENTRIES[service]), [], env, onLine, nodeFlags);
  return spawnChild(name, process.execPath, [...nodeFlags, ...BUILT_SERVICE_NODE_FLAGS, serviceBundle(service, ROOT)], env, onLine, false);
}

/** `tsx [nodeFlags…] <script> [args…]` (tsx hands node flags such as --cpu-prof to node). */
export function spawnTsx(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine?: (line: string) => boolean | void,
  nodeFlags: string[] = [],
): Promise<Child> {
  return spawnChild(name, TSX, [...nodeFlags, script, ...args], env, onLine, true);
}

/** `viaTsx`: the script runs in a node child of the started process, and that child is the one measured. */
async function spawnChild(
  name: string,
  command: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
  onLine: ((line: string) => boolean | void) | undefined,
  viaTsx: boolean,
): Promise<Child> {
  const proc = spawn(command, argv, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const child: Child = {
    name,
    proc,
    pid: proc.pid ?? -1,
    output,
    lines: 0,
    exitCode: undefined,
    exited: new Promise((resolve) => proc.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null)))),
    async stop(graceMs = 20_000) {
      if (child.exitCode !== undefined) return child.exitCode;
      // SIGTERM the script's own process: tsx's parent, told instead, relays the signal
      // but SIGKILLs its child when that does not acknowledge within ~60 ms — which a
      // server busy with thousands of connections may not, losing its graceful drain.
      if (child.pid > 0 && child.pid !== proc.pid) {
        try {
          process.kill(child.pid, "SIGTERM");
        } catch {
          proc.kill("SIGTERM");
        }
      } else proc.kill("SIGTERM");
      const code = await Promise.race([child.exited, sleep(graceMs).then(() => "timeout" as const)]);
      if (code !== "timeout") return code;
      proc.kill("SIGKILL");
      if (child.pid > 0 && child.pid !== proc.pid) {
        try {
          process.kill(child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      return child.exited;
    },
  };
  void child.exited.then((code) => (child.exitCode = code));
  let partial = "";
  const take = (chunk: Buffer) => {
    const text = partial + chunk.toString("utf8");
    const parts = text.split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) {
      // A callback that answers true has consumed the line (V8's --trace-gc output, say):
      // it is neither counted nor kept among the process's log lines.
      if (onLine?.(line) === true) continue;
      child.lines++;
      output.push(line);
      if (output.length > 200) output.shift();
    }
  };
  proc.stdout!.on("data", take);
  proc.stderr!.on("data", take);
  // Find tsx's node child (bounded: 10 s); without one, measure tsx's own process.
  // Node 24 names its main thread, so the process is "MainThread" in /proc, not "node".
  for (let i = 0; viaTsx && i < 100 && proc.pid; i++) {
    const kids = childrenOf(proc.pid).filter((p) => NODE_COMMS.has(readPidStat(p)?.comm ?? ""));
    if (kids.length) {
      child.pid = kids[0]!;
      break;
    }
    if (child.exitCode !== undefined) break;
    await sleep(100);
  }
  return child;
}

/** GET a URL on 127.0.0.1 until it answers 200 (bounded by `timeoutMs`); its JSON. */
export async function waitHealthy(url: string, timeoutMs: number, child?: Child): Promise<unknown> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child && child.exitCode !== undefined)
      throw new Error(`${child.name} exited (code ${child.exitCode}) before answering:\n${child.output.slice(-20).join("\n")}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return await res.json();
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer 200 within ${Math.round(timeoutMs / 1000)} s`);
}
