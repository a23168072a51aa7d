// The agent API as its own process (main.ts) with the real agent (simulated target)
// talking to it: enrolment, heartbeats flushed by the process's own flusher, revision
// delivery and acks end to end; SIGTERM answers held long-polls and exits 0; and after
// a restart the agent reconnects by itself and picks up what was published meanwhile;
// gateway samples the process still holds at SIGTERM are pushed before it exits.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { makeTenant, type TenantFixture } from "../../test/fixtures";
import { freePort } from "../../test/services";
import { publishRevision } from "../config/publish-revision";
import { db } from "../platform/db/client";
import { redis } from "../platform/redis";
import { minuteOf, minuteSpoolKey } from "../gateways/keys";
import { parseSpoolChunk, type EndSums } from "../gateways/sample-codec";
import { clusterInfo, heartbeat, makeRegistrationToken } from "./test-helpers";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

let a: TenantFixture;
let port: number;
let api: ChildProcess;
let agent: ChildProcess | undefined;
const stateDir = mkdtempSync(path.join(os.tmpdir(), "isthmus-agent-"));

const exited = (p: ChildProcess) =>
  new Promise<number | null>((resolve) => (p.exitCode !== null ? resolve(p.exitCode) : p.once("exit", (code) => resolve(code))));

async function startApi() {
  api = spawn(TSX, [path.join(ROOT, "server/agent-api/main.ts")], {
    // Without a workers process, the agent API flushes heartbeats to Postgres itself.
    env: { ...process.env, AGENT_API_PORT: String(port), AGENT_API_HOST: "127.0.0.1", AGENT_API_FLUSH_MS: "1000", LOG_LEVEL: "silent" },
    stdio: "ignore",
  });
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the agent API process did not come up");
}

beforeAll(async () => {
  a = await makeTenant("proc");
  port = await freePort();
  await startApi();
});

afterAll(async () => {
  agent?.kill("SIGTERM");
  if (api.exitCode === null) api.kill("SIGKILL");
  rmSync(stateDir, { recursive: true, force: true });
});

test("the real agent enrols, heartbeats, applies and acks; SIGTERM drains; after a restart nothing is lost", { timeout: 150_000 }, async () => {
  const token = await makeRegistrationToken(a, { maxUses: 2, labels: { source: "sim" } });
  agent = spawn(
    TSX,
    [
      path.join(ROOT, "agent/main.ts"),
      "--server",
      `http://127.0.0.1:${port}`,
      "--token",
      token.token,
      "--target",
      "simulated",
      "--clusters",
      "2",
      "--seed",
      String(Date.now() % 100_000),
      "--state-dir",
      stateDir,
      "--log-level",
      "silent",
    ],
    {
      stdio: "ignore",
    },
  );
  const clusters = () => db().cluster.findMany({ where: { tenantId: a.id }, orderBy: { name: "asc" } });

  // Both enrolled, revision 1 acked, and a heartbeat written by the process's flusher.
  await expect
    .poll(async () => (await clusters()).filter((c) => c.appliedRevision === 1 && c.lastHeartbeatSeq > 0n).length, { timeout: 45_000, interval: 250 })
    .toBe(2);
  const [first] = await clusters();
  expect(first).toMatchObject({ availability: "AVAILABLE", labels: { source: "sim" } });

  // A new revision reaches the held long-poll and comes back acked.
  const rev = await publishRevision(a.id, first!.id, {
    cluster: { id: first!.id, name: first!.name, tenant: a.slug },
    slices: [],
    manifests: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "isthmus-e2e" } }],
  });
  await expect
    .poll(async () => (await db().cluster.findUniqueOrThrow({ where: { id: first!.id } })).appliedRevision, { timeout: 20_000, interval: 100 })
    .toBe(rev.revision);
  const acks = await db().configAck.findMany({ where: { clusterId: first!.id, revision: rev.revision } });
  expect(acks.map((x) => [x.status, x.hash])).toEqual([["APPLIED", rev.hash]]);

  // The agent holds long-polls; SIGTERM answers them and the process exits cleanly.
  const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
  expect(health.heldLongPolls).toBeGreaterThan(0);
  api.kill("SIGTERM");
  expect(await exited(api)).toBe(0);

  // While the control plane is down a new revision is published; when it comes back the
  // agent reconnects on its own (same clusters, no re-enrolment), applies it and acks.
  const credentials = await db().agentCredential.count({ where: { clusterId: first!.id } });
  const next = await publishRevision(a.id, first!.id, {
    cluster: { id: first!.id, name: first!.name, tenant: a.slug },
    slices: [],
    manifests: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "isthmus-e2e-2" } }],
  });
  await startApi();
  await expect
    .poll(async () => (await db().cluster.findUniqueOrThrow({ where: { id: first!.id } })).appliedRevision, { timeout: 60_000, interval: 250 })
    .toBe(next.revision);
  expect((await clusters()).length).toBe(2);
  expect(await db().agentCredential.count({ where: { clusterId: first!.id } })).toBe(credentials);
  api.kill("SIGTERM");
  expect(await exited(api)).toBe(0);
});

test("SIGTERM pushes the gateway samples the agent API still holds before it exits", { timeout: 60_000 }, async () => {
  if (api.exitCode !== null) await startApi();
  const base = `http://127.0.0.1:${port}/api/agent/v1`;
  const token = await makeRegistrationToken(a);
  const reg = await fetch(`${base}/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: token.token, cluster: clusterInfo(), agentVersion: "0.1.0" }),
  });
  expect(reg.status).toBe(201);
  const { clusterId, credential } = (await reg.json()) as { clusterId: string; credential: string };
  const sentAt = Date.now();
  const res = await fetch(`${base}/heartbeat`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
    body: JSON.stringify(heartbeat(1, { gateways: [{ linkId: "lnk-at-sigterm", status: "UP", rttMs: 12.5 }] })),
  });
  expect(res.status).toBe(200);
  // At once, well inside the spool's first second: only the shutdown can have pushed it.
  api.kill("SIGTERM");
  expect(await exited(api)).toBe(0);
  const ends: EndSums = new Map();
  for (const m of new Set([minuteOf(sentAt), minuteOf(Date.now())]))
    for (const chunk of await redis().lrangeBuffer(minuteSpoolKey(m), 0, -1)) parseSpoolChunk(chunk, ends);
  const mine = [...ends].find(([end]) => end.startsWith(`${clusterId} `));
  expect(mine?.[1].get("lnk-at-sigterm")).toMatchObject({ n: 1, rttSum: 12.5 });
});
