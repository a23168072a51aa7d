// The kube target's application inventory, read from the fake API server: namespaces
// with labels, top-level workloads with template labels and named ports, bare pods,
// and only the policy objects Isthmus did not create.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZAppInventory } from "../protocol/app-inventory";
import { KubeHttp } from "./targets/kube-http";
import { readAppInventory } from "./targets/kube-app-inventory";
import { FakeKubeApi } from "./testing/fake-kube-api";

const api = new FakeKubeApi();
beforeAll(() => api.start());
afterAll(() => api.close());

const template = (labels: Record<string, string>) => ({
  metadata: { labels },
  spec: { containers: [{ name: "c", image: "x", ports: [{ name: "http", containerPort: 8080 }] }] },
});

describe("readAppInventory", () => {
  it("reads what decides traffic and leaves out what Isthmus applied", async () => {
    api.seed({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", labels: { team: "retail" } } });
    api.seed({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { template: template({ app: "web" }) } });
    api.seed({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "web-7d9f-abc",
        namespace: "shop",
        labels: { app: "web" },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7d9f", uid: "u", controller: true }],
      },
      spec: { containers: [] },
    });
    api.seed({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "debug", namespace: "shop", labels: { run: "debug" } },
      spec: { containers: [{ name: "c", image: "x" }] },
    });
    api.seed({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "team-own", namespace: "shop" },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    });
    api.seed({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "isthmus-policy.x", namespace: "shop", labels: { "app.kubernetes.io/managed-by": "isthmus" } },
      spec: { podSelector: {} },
    });

    const inv = await readAppInventory(new KubeHttp(api.kubeConfig()), 2);
    expect(ZAppInventory.safeParse(inv).success).toBe(true);
    expect(inv.adminNetworkPolicy).toBe(true);
    expect(inv.namespaces).toContainEqual({ name: "shop", labels: expect.objectContaining({ team: "retail" }) });
    expect(inv.workloads).toEqual(
      expect.arrayContaining([
        { namespace: "shop", name: "web", kind: "Deployment", labels: { app: "web" }, ports: [{ name: "http", port: 8080, protocol: "TCP" }] },
        { namespace: "shop", name: "debug", kind: "Pod", labels: { run: "debug" }, ports: [] },
      ]),
    );
    // The Deployment's pod is the Deployment, not a peer of its own.
    expect(inv.workloads.some((w) => w.name === "web-7d9f-abc")).toBe(false);
    expect(inv.policies.map((p) => (p.metadata as { name: string }).name)).toEqual(["team-own"]);
  });
});
