// The whole agent loop on a (fake) Kubernetes cluster: enrolment with a partial
// inventory, a revision applied with skips, acked per object.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AgentClient } from "./client";
import { FakeControlPlane } from "./fake-control-plane";
import { silentLogger } from "./logger";
import { ClusterRunner } from "./runner";
import { clusterStateDir, FileStore } from "./store";
import { KubeTarget } from "./targets/kube";
import { FakeKubeApi } from "./testing/fake-kube-api";

const kube = new FakeKubeApi();
let cp: FakeControlPlane;
let stateDir: string;
beforeAll(async () => {
  await kube.start();
  cp = await new FakeControlPlane(100).start();
  stateDir = await mkdtemp(path.join(os.tmpdir(), "isthmus-kube-enrol-"));
});
afterAll(async () => {
  await kube.close();
  await cp.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it("enrols although listing nodes and kube-system pods is forbidden (as on GKE Autopilot), then applies with skips", async () => {
  kube.seed({ apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system" } });
  kube.seed({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
  kube.faults.push({ method: "GET", path: /^\/api\/v1\/nodes$/, status: 403, message: "nodes is forbidden" });
  kube.faults.push({ method: "GET", path: /kube-system\/pods$/, status: 403, message: "pods is forbidden" });
  const target = new KubeTarget({ logger: silentLogger, kubeConfig: kube.kubeConfig(), env: {} });
  const runner = new ClusterRunner({
    client: new AgentClient({ serverUrl: cp.url, timeoutMs: 2000 }),
    target,
    serverUrl: cp.url,
    token: () => "isr_test.secret",
    storeFor: (uid) => new FileStore(clusterStateDir(stateDir, uid)),
    logger: silentLogger,
    waitSeconds: 1,
    heartbeatIntervalMs: 10,
    backoff: { baseMs: 5, capMs: 40 },
  });
  void runner.run();
  try {
    await waitFor(() => cp.registrations.length === 1, "enrolment");
    expect(cp.registrations[0]!.cluster).toMatchObject({
      podCidrs: [],
      podCidrsSource: "unknown",
      probeErrors: [{ probe: "nodes" }, { probe: "kube-system pods" }],
    });
    await waitFor(() => cp.heartbeats.some((h) => h.components.some((c) => c.name === "inventory" && c.status === "DEGRADED")), "inventory reported degraded");

    const np = (namespace: string) => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "isthmus-s-allow-slice", namespace },
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] },
    });
    cp.publish({ manifests: [np("shop"), np("absent")] });
    await waitFor(() => cp.acks.length === 1, "ack");
    expect(cp.acks[0]).toMatchObject({ revision: 1, status: "APPLIED" });
    expect(cp.acks[0]!.objects?.map((o) => `${o.namespace}: ${o.result}`)).toEqual(["shop: created", "absent: skipped: namespace absent"]);
  } finally {
    await runner.stop();
  }
});
