// The runner against a fake control plane on 127.0.0.1: the full protocol loop, an
// outage, and a revoked credential. Waits poll for outcomes; nothing asserts timings.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AgentClient } from "./client";
import { FakeControlPlane } from "./fake-control-plane";
import { silentLogger } from "./logger";
import { ClusterRunner, FatalAgentError } from "./runner";
import { clusterStateDir, FileStore } from "./store";
import { SimulatedTarget } from "./targets/simulated";

const TOKEN = "isr_test.secret";
const policy = (name: string) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace: "shop" },
  spec: { podSelector: {} },
});

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("ClusterRunner against a fake control plane", () => {
  let cp: FakeControlPlane;
  let stateDir: string;
  const runners: ClusterRunner[] = [];

  function runner(opts: { token?: string; target?: SimulatedTarget } = {}) {
    const target = opts.target ?? new SimulatedTarget({ profile: "edge", seed: 7 });
    const r = new ClusterRunner({
      client: new AgentClient({ serverUrl: cp.url, timeoutMs: 2000 }),
      target,
      serverUrl: cp.url,
      token: () => ("token" in opts ? opts.token : TOKEN),
      storeFor: (uid) => new FileStore(clusterStateDir(stateDir, uid)),
      logger: silentLogger,
      waitSeconds: 1,
      heartbeatIntervalMs: 10,
      backoff: { baseMs: 5, capMs: 40 },
      flushTimeoutMs: 500,
      reconcileIntervalMs: 10,
    });
    runners.push(r);
    return { r, target, done: r.run() };
  }

  beforeEach(async () => {
    cp = await new FakeControlPlane(100).start();
    stateDir = await mkdtemp(path.join(os.tmpdir(), "isthmus-agent-test-"));
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await cp.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it("enrols, heartbeats, applies a revision from the long-poll and acks it", async () => {
    const { r, target } = runner();
    await waitFor(() => cp.heartbeats.length >= 2, "heartbeats");
    expect(cp.registrations).toHaveLength(1);
    expect(cp.registrations[0]!.cluster.uid).toBe((await target.inventory()).uid);
    expect(cp.heartbeats[0]!.inventory?.podCidrs).toEqual((await target.inventory()).podCidrs);
    expect(cp.heartbeats[1]!.seq).toBeGreaterThan(cp.heartbeats[0]!.seq);

    cp.publish({ manifests: [policy("allow-dns"), policy("allow-web")], slices: [{ links: [{ id: "lnk-1" }] }] });
    await waitFor(() => cp.acks.length === 1, "ack");
    expect(cp.acks[0]).toMatchObject({ revision: 1, hash: "h1", status: "APPLIED" });
    expect(cp.acks[0]!.objects?.map((o) => `${o.name}:${o.result}`)).toEqual(["allow-dns:created", "allow-web:created"]);
    await waitFor(() => cp.heartbeats.some((h) => h.appliedRevision === 1 && h.gateways.some((g) => g.linkId === "lnk-1")), "heartbeat with revision and link");
    expect(r.appliedRevision).toBe(1);
    expect(cp.badRequests).toEqual([]);

    const dir = clusterStateDir(stateDir, (await target.inventory()).uid);
    const cred = JSON.parse(await readFile(path.join(dir, "credential.json"), "utf8"));
    expect(cred.clusterId).toBe("cl_1");
    expect((await stat(path.join(dir, "credential.json"))).mode & 0o777).toBe(0o600);
  });

  it("rides out an outage and resends the undelivered ack, also across a restart", async () => {
    const first = runner();
    await waitFor(() => cp.heartbeats.length >= 1, "first heartbeat");
    cp.failAcks = true;
    cp.publish({ manifests: [policy("allow-dns")] });
    await waitFor(() => first.r.appliedRevision === 1, "apply");
    cp.down = true;
    await waitFor(() => cp.unavailableAnswers >= 4, "retries against the dead server");
    expect(cp.acks).toHaveLength(0);

    // Restart while the server is still down: the ack must survive in the state file.
    await first.r.stop();
    const uid = (await first.target.inventory()).uid;
    const saved = JSON.parse(await readFile(path.join(clusterStateDir(stateDir, uid), "state.json"), "utf8"));
    expect(saved).toMatchObject({ appliedRevision: 1, pendingAck: { revision: 1, status: "APPLIED" } });
    const beats = cp.heartbeats.length;
    const lastSeq = cp.heartbeats.at(-1)!.seq;

    const second = runner();
    cp.down = false;
    cp.failAcks = false;
    await waitFor(() => cp.acks.length === 1, "ack resent after restart");
    expect(cp.acks[0]).toMatchObject({ revision: 1, hash: "h1", status: "APPLIED" });
    await waitFor(() => cp.heartbeats.length > beats, "heartbeat after restart");
    expect(cp.heartbeats[beats]!.seq).toBeGreaterThan(lastSeq);
    // A restarted agent is a new session: the control plane restarts its seq floor.
    expect(cp.heartbeats[beats]!.session).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(cp.heartbeats[beats]!.session).not.toBe(cp.heartbeats[0]!.session);
    expect(cp.heartbeats[beats]!.appliedRevision).toBe(1);
    expect(cp.registrations).toHaveLength(1); // the stored credential was reused
    expect(second.r.clusterId).toBe("cl_1");
  });

  it("reports drift it put back by acking the applied revision again, each object marked drift", async () => {
    const target = new SimulatedTarget({ profile: "edge", seed: 7 });
    let found = [
      { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", namespace: "shop", name: "allow-dns", drift: "deleted" as const, result: "re-created" },
    ];
    (target as SimulatedTarget & { reconcile: () => Promise<typeof found> }).reconcile = async () => {
      const out = found;
      found = [];
      return out;
    };
    runner({ target });
    cp.publish({ manifests: [policy("allow-dns")] });
    await waitFor(() => cp.acks.length === 2, "apply ack and drift ack");
    expect(cp.acks.find((a) => a.objects?.some((o) => o.result?.startsWith("drift:")))).toMatchObject({
      revision: 1,
      hash: "h1",
      status: "APPLIED",
      objects: [{ kind: "NetworkPolicy", namespace: "shop", name: "allow-dns", result: "drift: deleted; re-created" }],
    });
  });

  it("starts a new session when the control plane refuses its seq as out of range", async () => {
    cp.refuseSeq = 1;
    runner();
    await waitFor(() => cp.heartbeats.length >= 1, "heartbeat accepted after the refusal");
    expect(cp.refusedSessions).toHaveLength(1);
    expect(cp.heartbeats[0]!.session).not.toBe(cp.refusedSessions[0]);
  });

  it("keeps the applied config when the control plane is unreachable", async () => {
    const { r, target } = runner();
    cp.publish({ manifests: [policy("allow-dns")] });
    await waitFor(() => cp.acks.length === 1, "ack");
    cp.down = true;
    await waitFor(() => cp.unavailableAnswers >= 3, "outage");
    expect(target.appliedObjects().map((o) => o.name)).toEqual(["allow-dns"]);
    expect(r.appliedRevision).toBe(1);
  });

  it("re-enrols with the token when the credential is rejected, as the same cluster", async () => {
    const { r } = runner();
    await waitFor(() => cp.heartbeats.length >= 1, "heartbeat");
    const oldCredential = cp.heartbeats[0]!.credential;
    cp.revokeCredentials();
    await waitFor(() => cp.registrations.length === 2, "re-enrolment");
    expect(cp.registrations[1]!.cluster.uid).toBe(cp.registrations[0]!.cluster.uid);
    await waitFor(() => cp.heartbeats.some((h) => h.credential !== oldCredential), "heartbeat with the new credential");
    expect(r.clusterId).toBe("cl_1");
    const withNew = cp.heartbeats.find((h) => h.credential !== oldCredential)!;
    expect(withNew.inventory).toBeDefined(); // a fresh enrolment gets the full inventory
  });

  it("without a token, a rejected credential is not fatal: it backs off and keeps the cluster", async () => {
    const enrolled = runner();
    await waitFor(() => cp.heartbeats.length >= 1, "heartbeat");
    await enrolled.r.stop();
    cp.revokeCredentials();
    const calls = cp.heartbeats.length;
    const tokenless = runner({ token: undefined });
    await waitFor(() => cp.unauthorizedAnswers >= 4, "repeated attempts with the old credential");
    expect(cp.registrations).toHaveLength(1);
    expect(cp.heartbeats.length).toBe(calls);
    await tokenless.r.stop();
    await expect(tokenless.done).resolves.toBeUndefined();
  });

  it("fails fast when there is neither a stored credential nor a token", async () => {
    const { done } = runner({ token: undefined });
    await expect(done).rejects.toBeInstanceOf(FatalAgentError);
  });

  it("acks FAILED with the target's message and retries the revision later", async () => {
    const target = new SimulatedTarget({ profile: "cloud", seed: 3, failApplyRate: 1 });
    runner({ target });
    cp.publish({ manifests: [policy("allow-dns")] });
    await waitFor(() => cp.acks.length >= 2, "failed acks");
    expect(cp.acks[0]).toMatchObject({ revision: 1, status: "FAILED" });
    expect(cp.acks[1]).toMatchObject({ revision: 1, status: "FAILED" });
    expect(cp.acks[0]!.message).toMatch(/denied NetworkPolicy\/allow-dns/);
    await waitFor(() => cp.heartbeats.some((h) => h.components.some((c) => c.name === "config" && c.status === "DEGRADED")), "degraded component");
  });
});
