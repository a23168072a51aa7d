// AGENT_API_PROCESSES > 1: several agent API processes on one port under a primary.
// Long-polls held by different processes are counted together and woken from another
// process; a process that dies is replaced while the port keeps answering; SIGTERM
// drains every process; a process that cannot come up stops them all.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { afterEach, beforeAll, expect, test } from "vitest";
import { PROTOCOL_BASE_PATH } from "../../protocol/index";
import { makeTenant, type TenantFixture } from "../../test/fixtures";
import { freePort } from "../../test/services";
import { publishRevision } from "../config/publish-revision";
import { clusterInfo, makeRegistrationToken } from "./test-helpers";

const MAIN = path.resolve(import.meta.dirname, "main.ts");
let a: TenantFixture;
const started: ChildProcess[] = [];

beforeAll(async () => {
  a = await makeTenant("procs");
});
afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
});

const exited = (p: ChildProcess) =>
  new Promise<number | null>((resolve) => (p.exitCode !== null ? resolve(p.exitCode) : p.once("exit", (code) => resolve(code))));

function startPrimary(port: number, processes: number) {
  // node --import tsx, so the spawned process is the primary itself.
  const p = spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: { ...process.env, AGENT_API_PROCESSES: String(processes), AGENT_API_PORT: String(port), AGENT_API_HOST: "127.0.0.1", LOG_LEVEL: "silent" },
    stdio: "ignore",
  });
  started.push(p);
  return p;
}

interface Health {
  status: string;
  heldLongPolls: number;
  processes?: number;
  heldHere?: number;
}
/**
 * GET on a new connection each time (a pooled one may lead to a process that was
 * killed), bounded in time; null when it fails or times out.
 */
function get(port: number, path: string, opts: { headers?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {}) {
  return new Promise<{ status: number; body: string } | null>((resolve) => {
    const req = http.get(
      { host: "127.0.0.1", port, path, headers: opts.headers, agent: false, timeout: opts.timeoutMs ?? 3000, signal: opts.signal },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", () => resolve(null));
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(null));
  });
}
const health = async (port: number) => {
  const res = await get(port, "/healthz");
  return res ? (JSON.parse(res.body) as Health) : null;
};
const children = (pid: number) =>
  execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map(Number);

test("polls held in different processes are counted together and woken; a killed process is replaced; SIGTERM drains all", { timeout: 150_000 }, async () => {
  const port = await freePort();
  const primary = startPrimary(port, 2);
  await expect.poll(async () => (await health(port))?.processes, { timeout: 30_000, interval: 200 }).toBe(2);
  const base = `http://127.0.0.1:${port}${PROTOCOL_BASE_PATH}`;

  const token = await makeRegistrationToken(a, { maxUses: 6 });
  const agents: Array<{ clusterId: string; credential: string }> = [];
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${base}/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: token.token, cluster: clusterInfo(), agentVersion: "0.1.0" }),
    });
    expect(res.status).toBe(201);
    agents.push((await res.json()) as { clusterId: string; credential: string });
  }
  // Each held poll keeps its own connection, and connections are dealt out in turn.
  const hangUp = new AbortController();
  const hold = (agent: { credential: string }, signal?: AbortSignal) =>
    get(port, `${PROTOCOL_BASE_PATH}/config?after=1&waitSeconds=30`, { headers: { authorization: `Bearer ${agent.credential}` }, timeoutMs: 40_000, signal });
  const held = agents.slice(0, 4).map((x) => hold(x, hangUp.signal));
  await expect
    .poll(
      async () => {
        const h = await health(port);
        return h && h.heldLongPolls === 4 && h.heldHere! < 4;
      },
      { timeout: 10_000, interval: 100 },
    )
    .toBe(true);

  // A revision published here wakes the poll wherever it is held.
  const rev = await publishRevision(a.id, agents[0]!.clusterId, {
    cluster: { id: agents[0]!.clusterId, name: "c", tenant: a.slug },
    slices: [],
    manifests: [],
  });
  const woken = await held[0]!;
  expect(woken?.status).toBe(200);
  expect((JSON.parse(woken!.body) as { revision: number }).revision).toBe(rev.revision);

  // Kill one process outright: the port keeps answering, and a replacement comes up.
  const [victim, survivor] = children(primary.pid!);
  expect(survivor).toBeDefined();
  process.kill(victim!, "SIGKILL");
  // The victim's polls fail; hang up the survivor's so that only new ones are counted.
  hangUp.abort();
  await Promise.allSettled(held.slice(1));
  await expect.poll(async () => (await health(port))?.status, { timeout: 10_000, interval: 100 }).toBe("ok");
  await expect.poll(() => children(primary.pid!).filter((pid) => pid !== victim).length, { timeout: 15_000, interval: 200 }).toBe(2);
  await expect.poll(async () => (await health(port))?.processes, { timeout: 15_000, interval: 200 }).toBe(2);

  // SIGTERM: polls held in either process are answered 204, and the primary exits 0.
  const last = agents.slice(4).map((x) => hold(x));
  await expect.poll(async () => (await health(port))?.heldLongPolls, { timeout: 10_000, interval: 100 }).toBe(2);
  primary.kill("SIGTERM");
  expect((await Promise.all(last)).map((r) => r?.status)).toEqual([204, 204]);
  expect(await exited(primary)).toBe(0);
});

test("a process that cannot listen stops them all, with a failing exit", { timeout: 60_000 }, async () => {
  const taken = net.createServer();
  const port = await new Promise<number>((resolve) => taken.listen(0, "127.0.0.1", () => resolve((taken.address() as net.AddressInfo).port)));
  try {
    const primary = startPrimary(port, 2);
    expect(await exited(primary)).toBe(1);
  } finally {
    taken.close();
  }
});
