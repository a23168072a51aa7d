// The production build of the agent API and the workers (scripts/build-services.ts), as
// production runs it: bundled into a folder of its own, started with plain `node` (no
// tsx loader, so a TypeScript file reached at run time would fail), from a working
// directory that is not the repository. Against a database and a redis-server of this
// file's own: the workers flush every heartbeat in that Redis and sweep every tenant.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { privateStack, type PrivateDatabase, type PrivateRedis } from "../test/private-stack";
import { freePort } from "../test/services";
import { BUILT_SERVICE_NODE_FLAGS, buildServices, ROOT, serviceBundle, servicesBuildIsStale } from "./build-services";

let database: PrivateDatabase;
let redisServer: PrivateRedis;
const outdir = mkdtempSync(path.join(os.tmpdir(), "isthmus-services-"));
const children: ChildProcess[] = [];
// Loaded once the environment points at the private servers (each reads it once).
let m: {
  db: typeof import("../server/platform/db/client");
  fixtures: typeof import("../test/fixtures");
  helpers: typeof import("../server/agent-api/test-helpers");
  flags: typeof import("../server/agent-api/node-flags");
};

beforeAll(async () => {
  ({ database, redisServer } = await privateStack());
  m = {
    db: await import("../server/platform/db/client"),
    fixtures: await import("../test/fixtures"),
    helpers: await import("../server/agent-api/test-helpers"),
    flags: await import("../server/agent-api/node-flags"),
  };
  await buildServices({ outdir });
  // npm packages stay imports from node_modules; beside the repository's dist/ they are
  // found in its parent, here through a link.
  symlinkSync(path.join(ROOT, "node_modules"), path.join(outdir, "node_modules"), "dir");
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await m?.db.closeDb();
  await redisServer?.stop();
  await database?.drop();
  rmSync(outdir, { recursive: true, force: true });
});

function startBuilt(file: string, flags: string[], env: Record<string, string>) {
  const output: string[] = [];
  const child = spawn(process.execPath, [...flags, ...BUILT_SERVICE_NODE_FLAGS, file], {
    cwd: os.tmpdir(),
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "info", NODE_OPTIONS: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const s of [child.stdout, child.stderr]) s.on("data", (b: Buffer) => output.push(...b.toString().split("\n").filter(Boolean)));
  children.push(child);
  return { child, output };
}

const exited = (p: ChildProcess) =>
  new Promise<number | null>((resolve) => (p.exitCode !== null ? resolve(p.exitCode) : p.once("exit", (code) => resolve(code))));

test("the build writes a bundle per service and, until a source changes, is current", () => {
  expect(servicesBuildIsStale(ROOT, outdir)).toBeNull();
  expect(servicesBuildIsStale(ROOT, path.join(outdir, "absent"))).toBe("no build of the services yet");
});

test(
  "built with node alone: the agent API enrols a cluster and takes its heartbeat, the workers write it to PostgreSQL, SIGTERM stops both cleanly",
  { timeout: 120_000 },
  async () => {
    const port = await freePort();
    const healthPort = await freePort();
    const api = startBuilt(serviceBundle("agent-api", ROOT, outdir), m.flags.AGENT_API_NODE_FLAGS, {
      AGENT_API_PORT: String(port),
      AGENT_API_HOST: "127.0.0.1",
      ISTHMUS_SERVICE: "agent-api",
    });
    const workers = startBuilt(serviceBundle("workers", ROOT, outdir), [], {
      ISTHMUS_SERVICE: "worker",
      WORKERS_HEALTH_PORT: String(healthPort),
      WORKERS_HEALTH_HOST: "127.0.0.1",
    });
    const answers = (url: string) =>
      fetch(url).then(
        (r) => r.status,
        () => null,
      );
    const failed = (s: { child: ChildProcess; output: string[] }) =>
      s.child.exitCode !== null ? `exited ${s.child.exitCode}:\n${s.output.slice(-20).join("\n")}` : null;

    await expect.poll(async () => failed(api) ?? (await answers(`http://127.0.0.1:${port}/healthz`)), { timeout: 60_000, interval: 200 }).toBe(200);
    await expect.poll(async () => failed(workers) ?? (await answers(`http://127.0.0.1:${healthPort}/readyz`)), { timeout: 60_000, interval: 200 }).toBe(200);

    const tenant = await m.fixtures.makeTenant("built");
    const token = await m.helpers.makeRegistrationToken(tenant);
    const base = `http://127.0.0.1:${port}/api/agent/v1`;
    const post = (p: string, body: unknown, credential?: string) =>
      fetch(base + p, {
        method: "POST",
        headers: { "content-type": "application/json", ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
        body: JSON.stringify(body),
      });

    // The install manifests are read from deploy/agent, found from the source's place.
    const install = await fetch(`${base}/install/${token.id}.yaml`, { headers: { authorization: `Bearer ${token.token}` } });
    expect(install.status).toBe(200);
    expect(parseAllDocuments(await install.text()).map((d) => (d.toJS() as { kind: string }).kind)).toContain("Deployment");

    const reg = await post("/register", { token: token.token, cluster: m.helpers.clusterInfo(), agentVersion: "0.1.0" });
    expect(reg.status).toBe(201);
    const { clusterId, credential } = (await reg.json()) as { clusterId: string; credential: string };
    const beat = await post("/heartbeat", m.helpers.heartbeat(1), credential);
    expect(beat.status).toBe(200);

    // The agent API keeps a heartbeat in Redis; the workers' flush job writes it to PostgreSQL.
    await expect
      .poll(async () => (await m.db.db().cluster.findFirstOrThrow({ where: { id: clusterId, tenantId: tenant.id } })).lastHeartbeatSeq, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe(1n);
    await expect
      .poll(async () => (await m.db.db().cluster.findFirstOrThrow({ where: { id: clusterId, tenantId: tenant.id } })).availability, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe("AVAILABLE");

    api.child.kill("SIGTERM");
    workers.child.kill("SIGTERM");
    expect(await exited(api.child)).toBe(0);
    expect(await exited(workers.child)).toBe(0);
    // Neither logged an error or a fatal line on the way.
    expect([...api.output, ...workers.output].filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  },
);
